# One image for both processes:
#   web:    docker run IMAGE                 (npm start: Remix server on $PORT)
#   worker: docker run IMAGE npm run worker  (BullMQ workers)
# Migrations: docker run IMAGE npx prisma migrate deploy

FROM node:24-bookworm-slim AS deps
WORKDIR /app
ENV NODE_ENV=development
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY types ./types
# Exactly the committed lock file (scripts/test.sh checks that npm ci accepts it).
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npx remix vite:build && npm prune --omit=dev --no-audit --no-fund && npx prisma generate

FROM node:24-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production PORT=3000
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends tini ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/package.json /app/server.ts /app/prisma.config.ts /app/tsconfig.json ./
COPY --from=build /app/app ./app
COPY --from=build /app/workers ./workers
COPY --from=build /app/server ./server
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/types ./types
USER node
EXPOSE 3000 9464
# tini forwards SIGTERM so both processes shut down gracefully. The worker waits up to
# WORKER_SHUTDOWN_GRACE_MS (75 s) for jobs in flight, then aborts them: run it with a stop grace
# period of at least 90 s (docker stop -t 90, compose stop_grace_period: 90s).
# `env NODE_ENV=production` pins production for every command (web and `npm run worker`) even when
# `--env-file .env` says development, so the emulator overrides are refused at boot.
ENTRYPOINT ["/usr/bin/tini", "--", "env", "NODE_ENV=production"]
CMD ["npm", "start"]
