import { Text } from "@shopify/polaris";

/** Sentences that passed the number check (verify-summary.ts), as the summary and each digest show them. */
export function VerifiedSentences({ sentences, testId }: { sentences: Array<{ text: string }>; testId: string }) {
  return (
    <ul data-testid={testId}>
      {sentences.map((s, i) => (
        <li key={i}>
          <Text as="span">{s.text}</Text>
        </li>
      ))}
    </ul>
  );
}
