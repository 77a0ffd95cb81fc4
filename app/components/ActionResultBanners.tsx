import { Banner, Layout } from "@shopify/polaris";

/** The outcome of a page's last action: a warning for `error`, a confirmation for `message`. */
export function ActionResultBanners({ result }: { result?: { error?: string | null; message?: string | null } }) {
  return (
    <>
      {result?.error ? (
        <Layout.Section>
          <Banner tone="warning">{result.error}</Banner>
        </Layout.Section>
      ) : null}
      {result?.message ? (
        <Layout.Section>
          <Banner tone="success">{result.message}</Banner>
        </Layout.Section>
      ) : null}
    </>
  );
}
