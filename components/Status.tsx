export type Tone = 'ok' | 'bad' | 'info';

/** A one-line status message, always rendered as text. */
export function Status({ tone, text, testId }: { tone: Tone; text: string; testId?: string }) {
  return (
    <p className={`status ${tone}`} role={tone === 'bad' ? 'alert' : 'status'} data-testid={testId}>
      {text}
    </p>
  );
}
