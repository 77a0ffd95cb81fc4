// The conversation UI, injected by the launcher on the first click. It talks to the app only
// through the app proxy (/apps/storewise/chat on the storefront's own origin) and renders every
// answer as text (textContent), never as HTML: answers carry catalog text and LLM output.
import type { ChatConfig, MountChat } from "./config";

const CHAT_URL = "/apps/storewise/chat";
const DIALOG_KEY = "storewise_chat_dialog";
const VISITOR_KEY = "storewise_chat_visitor";
/** The visible conversation, kept for the tab's session so it survives moving between pages. */
const LOG_KEY = "storewise_chat_log";
const LOG_LIMIT = 40;
/** The cart attribute that attributes an order to the dialog (orders carry it as note_attributes). */
const CART_ATTRIBUTE = "storewise_chat_dialog";
const MAX_MESSAGE = 1000;

interface Answer {
  dialogId?: string;
  answer?: string;
  action?: "answer" | "ask" | "handoff";
  /** The anonymous visitor's signed token (null for a logged-in customer): sent back every call. */
  visitorToken?: string | null;
  error?: string;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = "", text = ""): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

// Storage can throw (privacy modes, blocked third-party storage): the chat still works without it.
function read(store: () => Storage, key: string): string | undefined {
  try {
    return store().getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}
function write(store: () => Storage, key: string, value: string): void {
  try {
    store().setItem(key, value);
  } catch {
    /* not kept: the server issues a new one */
  }
}
function forget(store: () => Storage, key: string): void {
  try {
    store().removeItem(key);
  } catch {
    /* nothing kept */
  }
}
const session = () => sessionStorage;
const local = () => localStorage;

const mount: MountChat = (root, config: ChatConfig, launcher) => {
  const t = config.t;
  const panel = el("div", "sw-panel");
  panel.id = "storewise-chat-dialog";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-modal", "true");
  panel.setAttribute("aria-labelledby", "sw-title");

  const head = el("div", "sw-head");
  if (config.avatar) {
    const avatar = el("img");
    avatar.src = config.avatar;
    avatar.alt = "";
    head.append(avatar);
  }
  const title = el("h2", "", config.name);
  title.id = "sw-title";
  const closeButton = el("button", "sw-x", "×");
  closeButton.type = "button";
  closeButton.setAttribute("aria-label", t.close);
  head.append(title, closeButton);

  // role="log" is a polite live region: screen readers announce each new reply.
  const log = el("div", "sw-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");

  const form = el("form", "sw-form");
  const label = el("label", "sw-vh", t.input);
  label.htmlFor = "sw-input";
  const input = el("input");
  input.id = "sw-input";
  input.name = "message";
  input.autocomplete = "off";
  input.maxLength = MAX_MESSAGE;
  input.placeholder = t.placeholder;
  input.required = true;
  const send = el("button", "sw-send", t.send);
  send.type = "submit";
  form.append(label, input, send);

  panel.append(head, log, form);
  root.append(panel);
  launcher.setAttribute("aria-controls", panel.id);

  type Line = [who: "bot" | "me", text: string];
  let history: Line[] = [];
  try {
    const kept = JSON.parse(read(session, LOG_KEY) ?? "[]") as unknown;
    if (Array.isArray(kept))
      history = kept.filter(
        (l): l is Line => Array.isArray(l) && (l[0] === "bot" || l[0] === "me") && typeof l[1] === "string",
      );
  } catch {
    history = [];
  }
  const show = (entry: Line) => {
    const who = entry[0];
    const line = el("p", `sw-msg sw-${who}`);
    line.append(el("span", "sw-vh", `${who === "me" ? t.you : config.name}: `), entry[1]);
    log.append(line);
    log.scrollTop = log.scrollHeight;
  };
  const say = (who: "bot" | "me", text: string) => {
    show([who, text]);
    history = [...history, [who, text] as Line].slice(-LOG_LIMIT);
    write(session, LOG_KEY, JSON.stringify(history));
  };
  show(["bot", config.greeting]);
  history.forEach(show);
  if (/^[^\s@<>"]+@[^\s@<>"]+$/.test(config.handoffEmail)) {
    const contact = el("p", "sw-note", `${t.contact} `);
    const link = el("a", "", config.handoffEmail);
    link.href = `mailto:${config.handoffEmail}`;
    contact.append(link);
    log.append(contact);
  }

  let dialogId = read(session, DIALOG_KEY);
  let lastQuestion = "";
  let busy = false;

  const remember = (answer: Answer) => {
    if (typeof answer.visitorToken === "string") write(local, VISITOR_KEY, answer.visitorToken);
    if (answer.dialogId && answer.dialogId !== dialogId) {
      dialogId = answer.dialogId;
      write(session, DIALOG_KEY, dialogId);
      // Ajax Cart API: the attribute rides along to checkout, so an order placed after chatting is
      // attributed to this dialog. Best effort: a failure must not break the chat.
      fetch(`${window.Shopify?.routes?.root ?? "/"}cart/update.js`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ attributes: { [CART_ATTRIBUTE]: dialogId } }),
      }).catch(() => undefined);
    }
  };

  // The app's chat API (docs/decisions/019): { message | handoff, dialogId?, visitorToken?, locale }.
  const post = async (body: Record<string, unknown>): Promise<Answer> => {
    const response = await fetch(CHAT_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ ...body, locale: config.locale, visitorToken: read(local, VISITOR_KEY) }),
    });
    const data = (await response.json().catch(() => ({}))) as Answer;
    // The dialog expired or is not this visitor's: forget its id and start a new one, once.
    if (response.status === 404 && data.error === "dialog_not_found" && body.dialogId) {
      dialogId = undefined;
      forget(session, DIALOG_KEY);
      return post({ ...body, dialogId: undefined });
    }
    // A 429's answer is already in the shopper's language.
    if (response.status === 429 && typeof data.answer === "string") {
      remember(data);
      throw new Error(data.answer);
    }
    if (!response.ok || typeof data.answer !== "string") throw new Error(t.error);
    return data;
  };

  const exchange = async (body: Record<string, unknown>, onAnswer?: (answer: Answer) => void) => {
    busy = true;
    log.setAttribute("aria-busy", "true");
    send.disabled = true;
    send.textContent = t.sending;
    try {
      const answer = await post(body);
      remember(answer);
      say("bot", answer.answer as string);
      onAnswer?.(answer);
    } catch (error) {
      say("bot", error instanceof Error && error.message ? error.message : t.error);
    } finally {
      busy = false;
      log.removeAttribute("aria-busy");
      send.disabled = false;
      send.textContent = t.send;
    }
  };

  const offerHandoff = () => {
    if (panel.querySelector(".sw-hand")) return;
    const hand = el("form", "sw-hand");
    hand.append(el("p", "", t.handoff));
    const field = (text: string, control: HTMLInputElement | HTMLTextAreaElement, id: string) => {
      const fieldLabel = el("label", "", text);
      control.id = id;
      control.required = true;
      fieldLabel.htmlFor = id;
      hand.append(fieldLabel, control);
    };
    const email = el("input");
    email.type = "email";
    email.autocomplete = "email";
    field(t.email, email, "sw-email");
    const question = el("textarea");
    question.maxLength = MAX_MESSAGE;
    question.rows = 3;
    question.value = lastQuestion;
    field(t.question, question, "sw-question");
    const submit = el("button", "sw-send", t.submit);
    submit.type = "submit";
    hand.append(submit);
    hand.addEventListener("submit", (event) => {
      event.preventDefault();
      if (busy) return;
      void exchange({ dialogId, handoff: { email: email.value.trim(), question: question.value.trim() } }, () =>
        hand.remove(),
      );
    });
    panel.insertBefore(hand, form);
    email.focus();
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const message = input.value.trim();
    if (!message || busy) return;
    lastQuestion = message;
    input.value = "";
    say("me", message);
    void exchange({ message, dialogId }, (answer) => {
      if (answer.action === "handoff") offerHandoff();
    });
  });

  const isOpen = () => !panel.hidden;
  const open = () => {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    input.focus();
  };
  const close = () => {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  };
  closeButton.addEventListener("click", close);

  // Focus stays in the dialog while it is open (Tab and Shift+Tab wrap); Escape closes it and
  // returns focus to the launcher.
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
      return;
    }
    if (event.key !== "Tab") return;
    const focusable = [...panel.querySelectorAll<HTMLElement>("button, input, textarea, a[href]")].filter(
      (node) => !(node as HTMLButtonElement).disabled,
    );
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first?.focus();
    }
  });

  return { open, close, isOpen };
};

window.storewiseChatMount = mount;
