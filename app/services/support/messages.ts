/**
 * The chat's own sentences (not the merchant's or the model's), in the languages the app ships.
 * Any other language falls back to English; the model answers in the shopper's language itself.
 */
export type ChatLanguage = "en" | "fr" | "de" | "es";

const MESSAGES = {
  rateLimited: {
    en: "You're sending messages a little fast. Please wait a moment and try again.",
    fr: "Vous envoyez des messages un peu vite. Merci de patienter un instant avant de réessayer.",
    de: "Sie senden Nachrichten etwas zu schnell. Bitte warten Sie einen Moment und versuchen Sie es erneut.",
    es: "Está enviando mensajes un poco rápido. Espere un momento y vuelva a intentarlo.",
  },
  shopBusy: {
    en: "Our chat is very busy right now. Please try again in a minute.",
    fr: "Notre chat est très sollicité en ce moment. Merci de réessayer dans une minute.",
    de: "Unser Chat ist gerade sehr ausgelastet. Bitte versuchen Sie es in einer Minute erneut.",
    es: "Nuestro chat está muy ocupado ahora. Vuelva a intentarlo en un minuto.",
  },
  handoffOffer: {
    en: "I can't answer that right now. Leave your email and question, and someone from our team will reply.",
    fr: "Je ne peux pas répondre pour le moment. Laissez votre e-mail et votre question, et quelqu'un de notre équipe vous répondra.",
    de: "Darauf kann ich gerade nicht antworten. Hinterlassen Sie Ihre E-Mail und Ihre Frage, und jemand aus unserem Team antwortet Ihnen.",
    es: "Ahora no puedo responder a eso. Deje su correo y su pregunta, y alguien de nuestro equipo le responderá.",
  },
  handoffCreated: {
    en: "Thanks! Our team has your question and will reply by email.",
    fr: "Merci ! Notre équipe a bien reçu votre question et vous répondra par e-mail.",
    de: "Danke! Unser Team hat Ihre Frage erhalten und antwortet per E-Mail.",
    es: "¡Gracias! Nuestro equipo recibió su pregunta y le responderá por correo.",
  },
  handoffClosed: {
    en: "Thanks! Our team is away right now and will reply by email when we're back: {hours}.",
    fr: "Merci ! Notre équipe est absente pour le moment et vous répondra par e-mail à son retour : {hours}.",
    de: "Danke! Unser Team ist gerade nicht da und antwortet per E-Mail, sobald es zurück ist: {hours}.",
    es: "¡Gracias! Nuestro equipo no está disponible ahora y le responderá por correo a su regreso: {hours}.",
  },
  orderAsk: {
    en: "I can look up your order. Please give me the order number (like #1001) and the email you used.",
    fr: "Je peux retrouver votre commande. Donnez-moi son numéro (par exemple #1001) et l'e-mail utilisé.",
    de: "Ich kann Ihre Bestellung suchen. Bitte nennen Sie die Bestellnummer (z. B. #1001) und Ihre E-Mail.",
    es: "Puedo buscar su pedido. Indique el número (por ejemplo #1001) y el correo que usó.",
  },
  orderNotFound: {
    en: "I couldn't find an order with those details. Please check the order number and email.",
    fr: "Je n'ai pas trouvé de commande avec ces informations. Vérifiez le numéro et l'e-mail.",
    de: "Ich habe keine Bestellung mit diesen Angaben gefunden. Bitte prüfen Sie Nummer und E-Mail.",
    es: "No encontré un pedido con esos datos. Compruebe el número y el correo.",
  },
  orderThrottled: {
    en: "Too many order lookups didn't match. Please try again later, or leave your email for our team.",
    fr: "Trop de recherches de commande sans résultat. Réessayez plus tard ou laissez votre e-mail à notre équipe.",
    de: "Zu viele erfolglose Bestellsuchen. Bitte versuchen Sie es später oder hinterlassen Sie Ihre E-Mail.",
    es: "Demasiadas búsquedas de pedido sin resultado. Inténtelo más tarde o deje su correo a nuestro equipo.",
  },
  orderStatus: {
    en: "Order {name}: {status}.",
    fr: "Commande {name} : {status}.",
    de: "Bestellung {name}: {status}.",
    es: "Pedido {name}: {status}.",
  },
  cannotShare: {
    en: "Sorry, I can't share that. I can help with questions about our products, orders and policies.",
    fr: "Désolé, je ne peux pas partager cela. Je peux vous aider sur nos produits, commandes et conditions.",
    de: "Das kann ich leider nicht teilen. Ich helfe gern bei Fragen zu Produkten, Bestellungen und Richtlinien.",
    es: "Lo siento, no puedo compartir eso. Puedo ayudar con productos, pedidos y políticas.",
  },
} satisfies Record<string, Record<ChatLanguage, string>>;

export type ChatMessageKey = keyof typeof MESSAGES;

/** The base language of a locale tag ("fr-CA" → "fr"), lower-case; "en" when unusable. */
export function baseLanguage(locale: string | null | undefined): string {
  const tag = /^([a-z]{2,3})(?:[-_][a-z0-9]+)*$/i.exec(locale?.trim() ?? "")?.[1];
  return tag ? tag.toLowerCase() : "en";
}

export function chatMessage(key: ChatMessageKey, locale: string, values: Record<string, string> = {}): string {
  const language = baseLanguage(locale);
  const table = MESSAGES[key] as Record<string, string>;
  const template = table[language] ?? table.en!;
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => values[name] ?? "");
}
