// Deterministic embeddings with a useful geometry: signed feature hashing of words (plus
// a little character-trigram signal so "shoe"/"shoes" stay close), L2-normalised. Texts
// sharing content words get high cosine similarity; unrelated texts land near 0. That is
// all retrieval tests need from a real embedding model. Words of French, German and Spanish the
// emulator's lexicon knows are embedded as their English word (lexicon.ts), so a paraphrase in
// another language lands close too, as with OpenAI's multilingual models.
import { toEnglish } from "./lexicon";
import { hash32 } from "./random";
// Loaded for its dictionary, which it teaches the lexicon.
import "./translation";
import { isStopWord } from "./words";

const WORD_WEIGHT = 1;
const STOP_WORD_WEIGHT = 0.15;
const TRIGRAM_WEIGHT = 0.3;
const WORD_PATTERN = /[\p{L}\p{N}]+/gu;

function addFeature(vector: Float32Array, feature: string, weight: number): void {
  const h = hash32(feature);
  const index = h % vector.length;
  // The sign bit makes collisions between unrelated features cancel out on average.
  vector[index]! += h & 0x80000000 ? -weight : weight;
}

export function embed(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  const words = (text.toLowerCase().match(WORD_PATTERN) ?? []).map(toEnglish);
  for (const word of words) {
    addFeature(vector, `w:${word}`, isStopWord(word) ? STOP_WORD_WEIGHT : WORD_WEIGHT);
    if (word.length >= 4) {
      const padded = ` ${word} `;
      const scale = TRIGRAM_WEIGHT / Math.sqrt(padded.length - 2);
      for (let i = 0; i + 3 <= padded.length; i++) addFeature(vector, `t:${padded.slice(i, i + 3)}`, scale);
    }
  }
  let norm = 0;
  for (const v of vector) norm += v * v;
  if (norm === 0) {
    // No words (e.g. "!!!"): still a valid unit vector, stable for the same text.
    vector[hash32(`raw:${text}`) % dimensions] = 1;
    return vector;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i]! *= scale;
  return vector;
}

/** The wire format of `encoding_format: "base64"`: float32 little-endian, base64. */
export function toBase64(vector: Float32Array): string {
  const buffer = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) buffer.writeFloatLE(vector[i]!, i * 4);
  return buffer.toString("base64");
}
