/**
 * Personal data a shopper may type into the chat: emails, phone numbers, card-like numbers and
 * street addresses. They are replaced by a placeholder before the message reaches the LLM, a log
 * line or the saved transcript (decision 019); the handoff's email is the one exception, and it
 * goes only into the ticket the shopper asked for.
 */
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// 13 to 19 digits with optional spaces or dashes: card numbers (checked by Luhn below).
const CARD_LIKE = /\b(?:\d[ -]?){12,18}\d\b/g;
// An international or national phone number: 8+ digits with the usual separators.
const PHONE = /(?:\+|\b00)?\d[\d ().-]{6,}\d\b/g;
// A house number followed by a street word, in the languages the app serves first.
const STREET =
  /\b\d{1,5}[a-z]?,?\s+(?:[\p{L}'.-]+\s+){0,4}(?:street|st\.?|avenue|ave\.?|road|rd\.?|boulevard|blvd\.?|lane|ln\.?|drive|dr\.?|way|court|place|rue|chemin|allée|impasse|straße|strasse|weg|platz|calle|avenida)\b/giu;
const FRENCH_STREET =
  /\b\d{1,5}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|chemin|allée|impasse|place|quai)\s+[\p{L}' -]{2,40}/giu;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function redactPii(text: string): string {
  return text
    .replace(EMAIL, "[email]")
    .replace(CARD_LIKE, (match) => (luhn(match.replace(/\D/g, "")) ? "[card number]" : match))
    .replace(FRENCH_STREET, "[address]")
    .replace(STREET, "[address]")
    .replace(PHONE, (match) => {
      const digits = match.replace(/\D/g, "");
      // Order names (#1001) and short numbers are not phones.
      return digits.length >= 8 && digits.length <= 15 ? "[phone]" : match;
    });
}
