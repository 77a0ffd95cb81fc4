// First load: the launcher button only. It makes no request to the app; the first click injects
// the conversation UI (support-chat-ui.js/.css, from the extension's assets through asset_url)
// and opens it. Budget: this file and launcher.css together <= 2 KB gzipped.
import type { ChatConfig, ChatUi } from "./config";

const root = document.getElementById("storewise-chat");
const button = root?.querySelector<HTMLButtonElement>(".sw-launch");

if (root && button) {
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
