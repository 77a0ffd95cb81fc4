// What the app embed block (blocks/support-chat.liquid) hands the scripts as JSON, and the hook
// the conversation UI script registers for the launcher.

export interface ChatStrings {
  close: string;
  input: string;
  placeholder: string;
  send: string;
  you: string;
  sending: string;
  error: string;
  handoff: string;
  email: string;
  question: string;
  submit: string;
  contact: string;
}

export interface ChatConfig {
  /** asset_url of the conversation UI script and stylesheet (loaded on the first click). */
  ui: string;
  css: string;
  /** request.locale.iso_code: sent with each message so replies come in the shopper's language. */
  locale: string;
  name: string;
  avatar: string;
  greeting: string;
  handoffEmail: string;
  t: ChatStrings;
}

export interface ChatUi {
  open(): void;
  close(): void;
  isOpen(): boolean;
}

export type MountChat = (root: HTMLElement, config: ChatConfig, launcher: HTMLButtonElement) => ChatUi;

declare global {
  interface Window {
    storewiseChatMount?: MountChat;
    Shopify?: { routes?: { root?: string } };
  }
}
