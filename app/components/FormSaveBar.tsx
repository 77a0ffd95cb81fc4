import { SaveBar } from "@shopify/app-bridge-react";

/**
 * App Bridge's contextual save bar for a settings form, the one pattern every settings page uses
 * (content, translations, chat, insights): open while the form differs from what is saved, Save
 * submits the form, Discard (after App Bridge's confirmation) puts the saved values back, and while
 * it is open the admin asks before leaving the page.
 * https://shopify.dev/docs/api/app-bridge-library/react-components/save-bar
 */
export function FormSaveBar({
  id,
  dirty,
  saving,
  onSave,
  onDiscard,
}: {
  id: string;
  dirty: boolean;
  saving: boolean;
  onSave: () => void;
  onDiscard: () => void;
}) {
  return (
    <SaveBar id={id} open={dirty || saving} discardConfirmation>
      <button variant="primary" onClick={onSave} {...(saving ? { loading: "" } : {})} disabled={saving}></button>
      <button onClick={onDiscard} disabled={saving}></button>
    </SaveBar>
  );
}
