// App Bridge session tokens (id_token): HS256 JWTs signed with the app secret, carrying the
// claims Shopify documents. Valid for 60 seconds, like the real ones.
import { randomBytes, randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";

export interface SessionTokenInput {
  shop: string;
  apiKey: string;
  secret: string;
  userId?: string;
  ttlSec?: number;
}

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
}

export function sessionTokenClaims(
  input: SessionTokenInput,
  nowSec = Math.floor(Date.now() / 1000),
): SessionTokenClaims {
  return {
    iss: `https://${input.shop}/admin`,
    dest: `https://${input.shop}`,
    aud: input.apiKey,
    sub: input.userId ?? "1",
    exp: nowSec + (input.ttlSec ?? 60),
    nbf: nowSec,
    iat: nowSec,
    jti: randomUUID(),
    sid: randomBytes(16).toString("hex"),
  };
}

export function mintSessionToken(input: SessionTokenInput): string {
  return jwt.sign(sessionTokenClaims(input), input.secret, { algorithm: "HS256" });
}
