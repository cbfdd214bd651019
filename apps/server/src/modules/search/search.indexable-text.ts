/**
 * The text to index, at most `maxChars` of it. Control characters carry no words, and two of
 * them mark matches in snippets, so they become spaces (line breaks and tabs stay).
 */
export const indexableText = (raw: string, maxChars: number) => {
  const text = raw
    .slice(0, maxChars + 1)
    .replace(/\p{Cc}/gu, (c) => (c === '\n' || c === '\t' ? c : ' '));
  return { text: text.slice(0, maxChars), truncated: text.length > maxChars };
};
