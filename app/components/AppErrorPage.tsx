import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Button, Card, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";

import { APP_PAGES } from "~/components/AppNavMenu";

interface Props {
  status?: number;
}

/**
 * The error page inside the app's frame: the admin's title bar and nav stay, the merchant reads
 * what happened in plain words and has a way on (Home, or any page of the app).
 */
export function AppErrorPage({ status }: Props) {
  const notFound = status === 404;
  const heading = notFound ? "Page not found" : "Something went wrong";
  return (
    <>
      <TitleBar title={heading} />
      <Page>
        <Layout>
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingLg">
                  {heading}
                </Text>
                <Text as="p">
                  {notFound
                    ? "This page doesn't exist in Storewise. It may have moved, or the link was mistyped."
                    : "Storewise couldn't show this page. Try again in a moment; if it keeps happening, contact support."}
                </Text>
                <InlineStack gap="200">
                  <Button url="/app" variant="primary">
                    Go to Home
                  </Button>
                  {notFound ? null : <Button onClick={() => window.location.reload()}>Try again</Button>}
                </InlineStack>
              </BlockStack>
            </Card>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  Pages
                </Text>
                {APP_PAGES.map((page) => (
                  <Link key={page.url} url={page.url} removeUnderline>
                    {page.label}
                  </Link>
                ))}
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
      </Page>
    </>
  );
}
