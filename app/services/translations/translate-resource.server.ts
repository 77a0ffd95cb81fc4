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
 * Translates one resource (and its nested resources, each registered under its own id) into the
 * shop's target locales: reads the store's content and digests, translates only what changed since
 * the ledger's last translation (an unchanged key costs no tokens), never touches a translation a
 * person edited, validates each answer (tags, placeholders, language, glossary, limits; one re-ask
 * with the reason), and registers every key of every locale in one call per resource. A source
 * changed mid-flight is re-read and only its keys redone; a locale unpublished mid-run is dropped;
 * a resource deleted before the run is a recorded outcome. docs/decisions/017.
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
  for (const unit of flatten(resource)) {
    const done = await translateUnit(run, unit, locales);
    if (done === "paused" || (done === "gone" && unit.resourceId === resourceId)) {
      outcome.outcome = done === "paused" ? "paused" : "resource-gone";
      return finish(db, shop, resourceId, outcome);
    }
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

type UnitResult = "done" | "gone" | "paused";

/** One resource of the tree: plan, translate, register (one call, repeated only for changed sources). */
async function translateUnit(run: Run, unit: TranslatableResource, locales: string[]): Promise<UnitResult> {
  const { db, shop } = run;
  const ledger = new Map(
    (
      await db.translationEntry.findMany({
        where: { shopDomain: shop, resourceId: unit.resourceId, market: PRIMARY_MARKET },
      })
    ).map((entry) => [slot(entry.locale, entry.key), entry]),
  );
  const todo = await plan(run, unit, locales, ledger);
  if (todo.size === 0) return "done";
  if (!run.capChecked) {
    run.capChecked = true;
    if (await tokenCapReached({ db, shop, cap: run.settings.monthlyTokenCap })) return "paused";
  }

  let writes = await translateAll(run, unit, todo);
  const active = new Set(locales);
  for (let round = 0; round < MAX_REGISTER_ROUNDS && writes.length > 0; round++) {
    const result = await run.store.registerTranslations(unit.resourceId, writes);
    if (result.status === "resource-gone") return "gone";
    if (result.status === "registered") {
      for (const write of writes) {
        await record(run, unit, write.locale, write.key, {
          sourceDigest: write.sourceDigest,
          valueHash: valueHash(write.value),
          status: "TRANSLATED",
          failureReason: null,
        });
      }
      run.outcome.registered += writes.length;
      return "done";
    }
    // Nothing was written: sort the refusals, keep what is still good, and register again.
    const changed = new Set<string>();
    const refused = new Map<string, string>();
    for (const rejection of result.rejections) {
      if (rejection.reason === "locale-not-enabled" && rejection.locale) {
        active.delete(rejection.locale);
        if (!run.outcome.droppedLocales.includes(rejection.locale)) run.outcome.droppedLocales.push(rejection.locale);
      } else if (rejection.reason === "source-changed" && rejection.key && rejection.locale) {
        changed.add(slot(rejection.locale, rejection.key));
      } else if (rejection.key && rejection.locale) {
        refused.set(slot(rejection.locale, rejection.key), `The store refused it: ${rejection.message}`);
      } else {
        // A refusal of the whole request: every write fails with its reason.
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
          failureReason: `${write.locale} was unpublished before the translation was registered`,
        });
      } else if (refused.has(at)) {
        await fail(run, unit, write.locale, write.key, write.sourceDigest, refused.get(at)!);
      } else if (!changed.has(at)) keep.push(write);
    }
    writes = keep;
    if (changed.size > 0) {
      // The source changed after it was read: read it again and redo only those keys.
      const fresh = await run.store.translatableResource(unit.resourceId, [...active]);
      if (!fresh) return "gone";
      const redo = new Map<string, TranslatableSource[]>();
      for (const at of changed) {
        const [locale, ...rest] = at.split(".");
        const key = rest.join(".");
        const source = fresh.source.find((entry) => entry.key === key);
        if (!source || !locale || !active.has(locale)) continue;
        redo.set(locale, [...(redo.get(locale) ?? []), source]);
        run.outcome.redone.push(at);
      }
      writes.push(...(await translateAll(run, fresh, redo)));
    }
  }
  return "done";
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
      const entry = ledger.get(at);
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
        // A live translation the app did not register (or registered differently) was written by a person.
        if (live && live.value && (!entry?.valueHash || valueHash(live.value) !== entry.valueHash)) {
          await record(run, unit, locale, source.key, {
            sourceDigest: entry?.sourceDigest ?? source.digest,
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

/** One LLM call per locale (plus at most one re-ask); failures are recorded, the rest returned as writes. */
async function translateAll(
  run: Run,
  unit: TranslatableResource,
  todo: Map<string, TranslatableSource[]>,
): Promise<TranslationWrite[]> {
  const writes: TranslationWrite[] = [];
  for (const [locale, sources] of todo) {
    const glossary = run.settings.glossary[locale] ?? [];
    const fields = sources.map((source) => ({ source, masked: mask(source.value, run.settings.doNotTranslate) }));
    let ask = fields;
    let rejected: string[] = [];
    for (let attempt = 0; attempt < 2 && ask.length > 0; attempt++) {
      const { system, user } = buildTranslationPrompt({
        sourceLocale: run.primary,
        targetLocale: locale,
        glossary,
        fields: ask.map(({ source, masked }) => ({ key: source.key, value: masked.text, format: source.format })),
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
        for (const { source } of ask) await fail(run, unit, locale, source.key, source.digest, error.userMessage);
        break;
      }
      run.outcome.llmCalls++;
      const tokens = reply.usage.promptTokens + reply.usage.completionTokens;
      run.outcome.tokens += tokens;
      const answers = new Map(reply.data.translations.map((entry) => [entry.key, entry.value]));
      const again: typeof ask = [];
      rejected = [];
      for (const field of ask) {
        const { source, masked } = field;
        const answer = answers.get(source.key);
        let reason: string | null = answer === undefined ? `${source.key}: no translation was given` : null;
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
        }
        if (reason === null) {
          writes.push({ key: source.key, locale, value, sourceDigest: source.digest });
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
  return writes;
}

async function fail(run: Run, unit: TranslatableResource, locale: string, key: string, digest: string, reason: string) {
  run.outcome.failed++;
  logger.warn({ shop: run.shop, resourceId: unit.resourceId, locale, key, reason }, "translation failed");
  await record(run, unit, locale, key, { sourceDigest: digest, status: "FAILED", failureReason: reason });
}

/**
 * Writes one ledger row. A failure or a protection keeps the hash of what the app last registered,
 * so the next run still recognises the app's own translation in the store.
 */
async function record(
  run: Run,
  unit: TranslatableResource,
  locale: string,
  key: string,
  data: { sourceDigest: string; status: TranslationStatus; failureReason: string | null; valueHash?: string },
) {
  const where = {
    shopDomain_resourceId_key_locale_market: {
      shopDomain: run.shop,
      resourceId: unit.resourceId,
      key,
      locale,
      market: PRIMARY_MARKET,
    },
  };
  await run.db.translationEntry.upsert({
    where,
    create: {
      shopDomain: run.shop,
      resourceId: unit.resourceId,
      kind: unit.kind,
      key,
      locale,
      market: PRIMARY_MARKET,
      ...data,
    },
    update: data,
  });
}
