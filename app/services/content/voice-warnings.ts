/**
 * Warnings for brand-voice text that looks like something other than a description of a voice:
 * markup or template code, or an instruction aimed at the AI. They are warnings, not errors: the
 * copy prompt quotes every voice setting as data (copy/prompt.ts VOICE_RULE), so such text cannot
 * change the task either way; the merchant is told so instead of being surprised by the copy.
 * Pure and browser-safe: the settings form shows them as the merchant types.
 */

const MARKUP = /<\/?[a-z][^>]*>|\{\{|\{%|&lt;|&#?\w+;/i;

const INSTRUCTION_PATTERNS = [
  /\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instructions?|rules?|prompts?|above|previous|everything)\b/i,
  /\b(?:system prompt|developer message|you are now|act as|pretend to be|jailbreak)\b/i,
  /\b(?:reveal|print|repeat|show)\b.{0,30}\b(?:instructions?|prompt|rules?|secrets?|api key)\b/i,
  /\b(?:add|include|insert)\b.{0,30}\b(?:links?|urls?|web addresses|scripts?|iframes?)\b/i,
  /https?:\/\/|www\./i,
];

export const MARKUP_WARNING =
  "This looks like HTML or template code. Storewise gives it to the AI as plain words describing your voice, never as markup.";
export const INSTRUCTION_WARNING =
  "This reads like an instruction to the AI. Storewise treats brand voice as a description of your style, so it won't be followed as a command.";

/** The warning for one brand-voice field, or null when it reads as a description of a voice. */
export function voiceWarning(text: string): string | null {
  if (MARKUP.test(text)) return MARKUP_WARNING;
  if (INSTRUCTION_PATTERNS.some((pattern) => pattern.test(text))) return INSTRUCTION_WARNING;
  return null;
}
