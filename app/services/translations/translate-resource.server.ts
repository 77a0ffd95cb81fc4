import { createHash } from "node:crypto";

import type { TranslationEntry, TranslationStatus } from "@prisma/client";

import { isAppError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { displayableHtml } from "~/services/content/copy/sanitize";
import type { Llm } from "~/services/ports/llm";
import type { ShopFactsStore } from "~/services/ports/shop-facts";
import type {
  TranslatableResource,
  TranslatableSource,
  TranslationRejection,
  TranslationsStore,
  TranslationWrite,
} from "~/services/ports/translations";
import {
  loadTranslationSettings,
  targetLocales,
  type TranslationSettingsView,
} from "~/services/translations/load-translation-settings.server";
import {
  buildTranslationPrompt,
  TRANSLATION_SCHEMA_NAME,
  translationReplySchema,
} from "~/services/translations/prompt";
import { mask, unmask } from "~/services/translations/protect";
import { translatesKey } from "~/services/translations/translatable-keys";
import { rejectionOf } from "~/services/translations/validate";
import { tokenCapReached } from "~/services/usage/monthly-usage.server";
import type { Db } from "~/services/types";

/** A key of a resource in a locale that the pipeline is asked to redo even though a person edited it. */
export interface ReplaceRequest {
  resourceId: string;
  key: string;
  locale: string;
}

interface Options {
  db: Db;
  store: TranslationsStore & ShopFactsStore;
  llm: Llm;
  shop: string;
  resourceId: string;
  /** On demand: keys that failed for an unchanged source are tried again (automatic runs leave them). */
  retryFailed?: boolean;
  /** "Replace with AI translation": these human-edited keys are translated and registered again. */
  replace?: ReplaceRequest[];
}

export type TranslationOutcomeName =
  "translated" | "unchanged" | "partial" | "failed" | "resource-gone" | "no-locales" | "paused";

export interface TranslationOutcome {
  outcome: TranslationOutcomeName;
  registered: number;
  failed: number;
  /** Keys ("fr.title") a person edited, left as they are. */
  protected: string[];
  /** Locales that stopped being published during the run; their keys were not registered. */
  droppedLocales: string[];
  /** Keys ("fr.title") redone because the source changed while they were being translated. */
  redone: string[];
  tokens: number;
  llmCalls: number;
}

/** The market of the shop's primary market: translations are not market-specific yet. */
const PRIMARY_MARKET = "";
/** Register rounds after source changes before the rest is left to the next run. */
const MAX_REGISTER_ROUNDS = 3;

export const valueHash = (value: string) => createHash("sha256").update(value).digest("hex");
const slot = (locale: string, key: string) => `${locale}.${key}`;

interface Run {
  db: Db;
  store: TranslationsStore;
  llm: Llm;
  shop: string;
  primary: string;
  settings: TranslationSettingsView;
  outcome: TranslationOutcome;
  retryFailed: boolean;
  replace: ReplaceRequest[];
  capChecked: boolean;
}

/**
 * Translates one resource and its nested resources (a product's options, option values, images and
 * the app's own metafields) as one unit into the shop's target locales: reads the store's content
 * and digests, translates only what changed since the ledger's last translation (an unchanged key
 * costs no tokens), never touches a translation a person edited, validates each answer (tags,
 * placeholders, language, glossary, limits; one re-ask with the reason), and registers everything
 * in one request (one aliased translationsRegister per resource). A source changed mid-flight is
 * re-read and only its keys redone; a locale unpublished mid-run is dropped; a resource deleted
 * before the run is a recorded outcome. docs/decisions/017 and 023.
 */
export async function translateResource({
  db,
  store,
  llm,
  shop,
  resourceId,
  retryFailed = false,
  replace = [],
}: Options): Promise<TranslationOutcome> {
  const outcome: TranslationOutcome = {
    outcome: "unchanged",
    registered: 0,
    failed: 0,
    protected: [],
    droppedLocales: [],
    redone: [],
    tokens: 0,
    llmCalls: 0,
  };
  const settings = await loadTranslationSettings(db, shop);
  // Read from the store, not the Shop's stored copy: a run queued because a locale was just
  // published may start before that copy is updated (refresh-shop-locales.server.ts).
  const shopLocales = await store.locales();
  const locales = targetLocales(shopLocales, settings);
  if (locales.length === 0) return finish(db, shop, resourceId, { ...outcome, outcome: "no-locales" });
  const resource = await store.translatableResource(resourceId, locales);
  if (!resource) return finish(db, shop, resourceId, { ...outcome, outcome: "resource-gone" });
  const run: Run = {
    db,
    store,
    llm,
    shop,
    primary: shopLocales.primary,
    settings,
    outcome,
    retryFailed,
    replace,
    capChecked: false,
  };
  const done = await translateTree(run, resource, locales);
  if (done !== "done") {
    outcome.outcome = done === "paused" ? "paused" : "resource-gone";
    return finish(db, shop, resourceId, outcome);
  }
  if (outcome.failed > 0) outcome.outcome = outcome.registered > 0 ? "partial" : "failed";
  else if (outcome.registered > 0) outcome.outcome = "translated";
  return finish(db, shop, resourceId, outcome);
}

function flatten(resource: TranslatableResource): TranslatableResource[] {
  return [resource, ...resource.nested.flatMap(flatten)];
}

async function finish(db: Db, shop: string, resourceId: string, outcome: TranslationOutcome) {
  await db.translationRun.create({
    data: {
      shopDomain: shop,
      resourceId,
      outcome: outcome.outcome,
      tokens: outcome.tokens,
      detail: JSON.stringify({
        registered: outcome.registered,
        failed: outcome.failed,
        protected: outcome.protected,
        droppedLocales: outcome.droppedLocales,
        redone: outcome.redone,
        llmCalls: outcome.llmCalls,
      }),
    },
  });
  if (outcome.outcome === "resource-gone") logger.info({ shop, resourceId }, "translation: the resource is gone");
  return outcome;
}

type TreeResult = "done" | "gone" | "paused";

/** What one locale's call translates: keys of several resources of the tree, per resource. */
type Todo = Map<TranslatableResource, Map<string, TranslatableSource[]>>;

/**
 * The whole tree (the resource and its nested resources): plan every resource, one LLM call per
 * locale carrying every changed key of all of them, one register request for all of them, repeated
 * only for the resources whose source changed mid-flight.
 */
async function translateTree(run: Run, top: TranslatableResource, locales: string[]): Promise<TreeResult> {
  const { db, shop } = run;
  const units = flatten(top);
  const ledger = new Map(
    (
      await db.translationEntry.findMany({
        where: { shopDomain: shop, resourceId: { in: units.map((unit) => unit.resourceId) }, market: PRIMARY_MARKET },
      })
    ).map((entry) => [`${entry.resourceId}\u0000${slot(entry.locale, entry.key)}`, entry]),
  );
  const todo: Todo = new Map();
  for (const unit of units) {
    const planned = await plan(run, unit, locales, ledger);
    if (planned.size > 0) todo.set(unit, planned);
  }
  if (todo.size === 0) return "done";
  if (!run.capChecked) {
    run.capChecked = true;
    if (await tokenCapReached({ db, shop, cap: run.settings.monthlyTokenCap })) return "paused";
  }

  let pending = await translateAll(run, todo);
  const active = new Set(locales);
  const gone = new Set<string>();
  for (let round = 0; round < MAX_REGISTER_ROUNDS && pending.size > 0; round++) {
    const batch = [...pending].filter(([, writes]) => writes.length > 0);
    if (batch.length === 0) break;
    await markPending(run, batch);
    const results = await run.store.registerTranslationBatch(
      batch.map(([unit, writes]) => ({ resourceId: unit.resourceId, writes })),
    );
    const next = new Map<TranslatableResource, TranslationWrite[]>();
    const changedUnits = new Map<string, Set<string>>();
    for (const [index, [unit, writes]] of batch.entries()) {
      const result = results[index]!;
      if (result.status === "resource-gone") {
        if (unit === top) return "gone";
        // A nested resource deleted mid-run (an option removed): nothing of it to register.
        gone.add(unit.resourceId);
        continue;
      }
      if (result.status === "registered") {
        for (const write of writes) {
          await record(run, unit, write.locale, write.key, {
            sourceDigest: write.sourceDigest,
            valueHash: valueHash(write.value),
            pendingHash: null,
            status: "TRANSLATED",
            failureReason: null,
          });
        }
        run.outcome.registered += writes.length;
        continue;
      }
      // Nothing of this resource was written (the others' aliases stand): sort its refusals.
      const { keep, changed } = await sortRefusals(run, unit, writes, result.rejections, active);
      if (keep.length) next.set(unit, keep);
      if (changed.size) changedUnits.set(unit.resourceId, changed);
    }
    if (changedUnits.size > 0) {
      // The source changed after it was read: read the tree again and redo only those keys.
      const fresh = await run.store.translatableResource(top.resourceId, [...active]);
      if (!fresh) return "gone";
      const byId = new Map(flatten(fresh).map((unit) => [unit.resourceId, unit]));
      const redo: Todo = new Map();
      for (const [resourceId, changed] of changedUnits) {
        const unit = byId.get(resourceId);
        if (!unit) continue;
        const perLocale = new Map<string, TranslatableSource[]>();
        for (const at of changed) {
          const [locale, ...rest] = at.split(".");
          const key = rest.join(".");
          const source = unit.source.find((entry) => entry.key === key);
          if (!source || !locale || !active.has(locale)) continue;
          perLocale.set(locale, [...(perLocale.get(locale) ?? []), source]);
          run.outcome.redone.push(at);
        }
        if (perLocale.size) redo.set(unit, perLocale);
      }
      for (const [unit, writes] of await translateAll(run, redo)) {
        // The fresh read's resource stands for the same id as the one that kept writes.
        const same = [...next.keys()].find((other) => other.resourceId === unit.resourceId);
        if (same) next.set(same, [...next.get(same)!, ...writes]);
        else next.set(unit, writes);
      }
    }
    pending = next;
  }
  return "done";
}

/** Splits one resource's refused writes: still good (kept), source changed (redo), or failed/skipped. */
async function sortRefusals(
  run: Run,
  unit: TranslatableResource,
  writes: TranslationWrite[],
  rejections: TranslationRejection[],
  active: Set<string>,
): Promise<{ keep: TranslationWrite[]; changed: Set<string> }> {
  const changed = new Set<string>();
  const refused = new Map<string, string>();
  for (const rejection of rejections) {
    if (rejection.reason === "locale-not-enabled" && rejection.locale) {
      active.delete(rejection.locale);
      if (!run.outcome.droppedLocales.includes(rejection.locale)) run.outcome.droppedLocales.push(rejection.locale);
    } else if (rejection.reason === "source-changed" && rejection.key && rejection.locale) {
      changed.add(slot(rejection.locale, rejection.key));
    } else if (rejection.key && rejection.locale) {
      refused.set(slot(rejection.locale, rejection.key), `The store refused it: ${rejection.message}`);
    } else {
      // A refusal of the whole resource: every write fails with its reason.
      for (const write of writes)
        refused.set(slot(write.locale, write.key), `The store refused it: ${rejection.message}`);
    }
  }
  const keep: TranslationWrite[] = [];
  for (const write of writes) {
    const at = slot(write.locale, write.key);
    if (!active.has(write.locale)) {
      await record(run, unit, write.locale, write.key, {
        sourceDigest: write.sourceDigest,
        status: "SKIPPED",
        pendingHash: null,
        failureReason: `${write.locale} was unpublished before the translation was registered`,
      });
    } else if (refused.has(at)) {
      await fail(run, unit, write.locale, write.key, write.sourceDigest, refused.get(at)!);
    } else if (!changed.has(at)) keep.push(write);
  }
  return { keep, changed };
}

/**
 * Notes, before the register request, the hash of each value about to be sent: a worker killed
 * after Shopify stored them and before record() ran finds them on its next run as the app's own
 * (registered, not edited by a person). One transaction for the batch.
 */
async function markPending(run: Run, batch: Array<[TranslatableResource, TranslationWrite[]]>) {
  await run.db.$transaction(
    batch.flatMap(([unit, writes]) =>
      writes.map((write) =>
        run.db.translationEntry.upsert({
          where: entryWhere(run, unit, write.locale, write.key),
          // A new row is FAILED with the reason until the register answers: a crash leaves it
          // retried by the next run (its source digest is not the current one yet).
          create: {
            ...entryIdentity(run, unit, write.locale, write.key),
            sourceDigest: "",
            status: "FAILED",
            failureReason: "Sent to the store; waiting for its answer",
            pendingHash: valueHash(write.value),
          },
          update: { pendingHash: valueHash(write.value) },
        }),
      ),
    ),
  );
}

/** Which keys of which locales need a translation now, recording protected (human-edited) ones. */
async function plan(
  run: Run,
  unit: TranslatableResource,
  locales: string[],
  ledger: Map<string, TranslationEntry>,
): Promise<Map<string, TranslatableSource[]>> {
  const todo = new Map<string, TranslatableSource[]>();
  const sources = unit.source.filter(
    (source) => source.value.trim() && translatesKey(unit.kind, source.key, run.settings),
  );
  for (const locale of locales) {
    for (const source of sources) {
      const at = slot(locale, source.key);
      const entry = ledger.get(`${unit.resourceId}\u0000${at}`);
      const live = unit.translations.find(
        (translation) => translation.locale === locale && translation.key === source.key,
      );
      const replace = run.replace.some(
        (request) => request.resourceId === unit.resourceId && request.key === source.key && request.locale === locale,
      );
      if (!replace) {
        if (entry?.status === "EDITED") {
          run.outcome.protected.push(at);
          continue;
        }
        const liveHash = live?.value ? valueHash(live.value) : null;
        // Sent by a run that stopped before the store's answer was recorded: the app's own write.
        if (liveHash && entry?.pendingHash === liveHash && liveHash !== entry.valueHash) {
          if (!live?.outdated) {
            await record(run, unit, locale, source.key, {
              sourceDigest: source.digest,
              valueHash: liveHash,
              pendingHash: null,
              status: "TRANSLATED",
              failureReason: null,
            });
            continue;
          }
        } else if (liveHash && (!entry?.valueHash || liveHash !== entry.valueHash)) {
          // A live translation the app did not register (or registered differently) was written by a person.
          await record(run, unit, locale, source.key, {
            sourceDigest: entry?.sourceDigest || source.digest,
            status: "EDITED",
            failureReason: null,
          });
          run.outcome.protected.push(at);
          continue;
        }
        const current = entry?.sourceDigest === source.digest;
        if (current && entry?.status === "TRANSLATED" && live && !live.outdated) continue;
        if (current && entry?.status === "FAILED" && !run.retryFailed) continue;
      }
      todo.set(locale, [...(todo.get(locale) ?? []), source]);
    }
  }
  return todo;
}

/**
 * The key a field goes by in a call that carries several resources: the top resource's keys as
 * they are ("title"), a nested resource's with its kind and place ("product-option-value 3: name"),
 * so the model and the reasons it is given name each field unambiguously.
 */
function promptKey(units: TranslatableResource[], unit: TranslatableResource, key: string): string {
  const index = units.indexOf(unit);
  return index === 0 ? key : `${unit.kind} ${index}: ${key}`;
}

/**
 * One LLM call per locale carrying every key of every resource in `todo` (plus at most one re-ask
 * for the refused keys); failures are recorded, the rest returned as writes per resource.
 */
async function translateAll(run: Run, todo: Todo): Promise<Map<TranslatableResource, TranslationWrite[]>> {
  const writes = new Map<TranslatableResource, TranslationWrite[]>();
  const units = [...todo.keys()];
  const locales = [...new Set(units.flatMap((unit) => [...todo.get(unit)!.keys()]))];
  // The locales' calls run side by side: a product is live in every locale after about one model
  // latency, not one per locale. Each locale finishes (or fails) before an error is passed on, so
  // no call is left writing the ledger after the job has given up.
  const settled = await Promise.allSettled(locales.map((locale) => translateLocale(locale)));
  const failure = settled.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
  return writes;

  async function translateLocale(locale: string) {
    const glossary = run.settings.glossary[locale] ?? [];
    const fields = units.flatMap((unit) =>
      (todo.get(unit)!.get(locale) ?? []).map((source) => ({
        unit,
        source,
        key: promptKey(units, unit, source.key),
        masked: mask(source.value, run.settings.doNotTranslate),
      })),
    );
    let ask = fields;
    let rejected: string[] = [];
    for (let attempt = 0; attempt < 2 && ask.length > 0; attempt++) {
      const { system, user } = buildTranslationPrompt({
        sourceLocale: run.primary,
        targetLocale: locale,
        glossary,
        fields: ask.map(({ key, source, masked }) => ({ key, value: masked.text, format: source.format })),
        rejected,
      });
      let reply;
      try {
        reply = await run.llm.generateStructured({
          shop: run.shop,
          task: "translation",
          schema: translationReplySchema,
          schemaName: TRANSLATION_SCHEMA_NAME,
          system,
          user,
        });
      } catch (error) {
        if (!isAppError(error, "LLM_INVALID_OUTPUT") && !isAppError(error, "LLM_REFUSED")) throw error;
        for (const { unit, source } of ask) await fail(run, unit, locale, source.key, source.digest, error.userMessage);
        break;
      }
      run.outcome.llmCalls++;
      const tokens = reply.usage.promptTokens + reply.usage.completionTokens;
      run.outcome.tokens += tokens;
      const answers = new Map(reply.data.translations.map((entry) => [entry.key, entry.value]));
      const again: typeof ask = [];
      rejected = [];
      for (const field of ask) {
        const { unit, source, masked, key } = field;
        const answer = answers.get(key);
        let reason: string | null = answer === undefined ? `${key}: no translation was given` : null;
        let value = "";
        if (answer !== undefined) {
          const safe = source.format === "html" ? displayableHtml(answer) : answer.trim();
          value = unmask(safe, masked.slots);
          // Checked as the model wrote it: the sanitiser would close a tag the model left open.
          reason = rejectionOf({
            key: source.key,
            maskedSource: masked.text,
            maskedValue: answer,
            value,
            source: source.value,
            locale,
            glossary,
          });
          if (reason !== null && key !== source.key) reason = `${key}: ${reason}`;
        }
        if (reason === null) {
          writes.set(unit, [
            ...(writes.get(unit) ?? []),
            { key: source.key, locale, value, sourceDigest: source.digest },
          ]);
        } else if (attempt === 0) {
          again.push(field);
          rejected.push(reason);
        } else {
          await fail(run, unit, locale, source.key, source.digest, reason);
        }
      }
      ask = again;
    }
  }
}

async function fail(run: Run, unit: TranslatableResource, locale: string, key: string, digest: string, reason: string) {
  run.outcome.failed++;
  logger.warn({ shop: run.shop, resourceId: unit.resourceId, locale, key, reason }, "translation failed");
  await record(run, unit, locale, key, {
    sourceDigest: digest,
    status: "FAILED",
    failureReason: reason,
    pendingHash: null,
  });
}

const entryIdentity = (run: Run, unit: TranslatableResource, locale: string, key: string) => ({
  shopDomain: run.shop,
  resourceId: unit.resourceId,
  kind: unit.kind,
  key,
  locale,
  market: PRIMARY_MARKET,
});

const entryWhere = (run: Run, unit: TranslatableResource, locale: string, key: string) => ({
  shopDomain_resourceId_key_locale_market: {
    shopDomain: run.shop,
    resourceId: unit.resourceId,
    key,
    locale,
    market: PRIMARY_MARKET,
  },
});

/**
 * Writes one ledger row. A failure or a protection keeps the hash of what the app last registered,
 * so the next run still recognises the app's own translation in the store.
 */
async function record(
  run: Run,
  unit: TranslatableResource,
  locale: string,
  key: string,
  data: {
    sourceDigest: string;
    status: TranslationStatus;
    failureReason: string | null;
    valueHash?: string;
    pendingHash?: string | null;
  },
) {
  await run.db.translationEntry.upsert({
    where: entryWhere(run, unit, locale, key),
    create: { ...entryIdentity(run, unit, locale, key), ...data },
    update: data,
  });
}
