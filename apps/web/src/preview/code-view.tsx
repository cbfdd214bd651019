import hljs from 'highlight.js/lib/common';
import { useMemo } from 'react';

/**
 * Source code with its syntax coloured. highlight.js escapes the text and only wraps it in
 * spans, so the markup it returns is safe to insert.
 */
export const highlightCode = (text: string, language: string) =>
  hljs.getLanguage(language)
    ? hljs.highlight(text, { language, ignoreIllegals: true }).value
    : hljs.highlightAuto(text).value;

const CodeView = ({ text, language }: { text: string; language: string }) => {
  const html = useMemo(() => highlightCode(text, language), [text, language]);
  return (
    <pre className="text-preview code-preview" tabIndex={0}>
      <code className="hljs" data-language={language} dangerouslySetInnerHTML={{ __html: html }} />
    </pre>
  );
};

export default CodeView;
