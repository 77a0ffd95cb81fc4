// First load: the launcher button only. It makes no request to the app; the first click injects
// the conversation UI (support-chat-ui.js/.css, from the extension's assets through asset_url)
// and opens it. Budget: this file (launcher.css included) <= 2 KB gzipped.
//
// The launcher's CSS is built into this deferred script rather than loaded as a stylesheet: a
// stylesheet in the head from Shopify's CDN would block the theme's first paint. The block stays
// `hidden` until the style is in place.
import type { ChatConfig, ChatUi } from "./config";

declare const LAUNCHER_CSS: string;

const root = document.getElementById("storewise-chat");
const button = root?.querySelector<HTMLButtonElement>(".sw-launch");

if (root && button) {
  const style = document.createElement("style");
  style.textContent = LAUNCHER_CSS;
  document.head.append(style);
  // Text on the merchant's colour: dark on a light colour, white on a dark one (WCAG relative
  // luminance, threshold where both give about the same contrast).
  const hex = /^#([0-9a-f]{6})$/i.exec(root.style.getPropertyValue("--sw-accent").trim())?.[1];
  if (hex) {
    const luminance = [0.2126, 0.7152, 0.0722].reduce((sum, weight, i) => {
      const c = parseInt(hex.slice(i * 2, i * 2 + 2), 16) / 255;
      return sum + weight * (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    }, 0);
    if (luminance > 0.179) root.style.setProperty("--sw-on-accent", "#111");
  }
  root.hidden = false;
  let ui: ChatUi | undefined;
  let loading = false;

  const load = (tag: "link" | "script", url: string) =>
    new Promise<void>((resolve, reject) => {
      const node = document.createElement(tag);
      node.onload = () => resolve();
      node.onerror = () => {
        node.remove();
        reject(new Error(url));
      };
      if (node instanceof HTMLLinkElement) {
        node.rel = "stylesheet";
        node.href = url;
      } else {
        (node as HTMLScriptElement).src = url;
      }
      document.head.append(node);
    });

  button.addEventListener("click", () => {
    if (ui) return ui.isOpen() ? ui.close() : ui.open();
    if (loading) return;
    loading = true;
    button.setAttribute("aria-busy", "true");
    const config = JSON.parse(root.querySelector(".sw-config")?.textContent ?? "{}") as ChatConfig;
    Promise.all([load("link", config.css), load("script", config.ui)])
      .then(() => {
        ui = window.storewiseChatMount?.(root, config, button);
        ui?.open();
      })
      .catch(() => {
        // A failed asset load leaves the launcher usable: the next click tries again.
      })
      .finally(() => {
        loading = false;
        button.removeAttribute("aria-busy");
      });
  });
}
