import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useMemo } from 'react';

const purifier = DOMPurify();
// Links leave the app in a new tab and carry nothing of it along.
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

/**
 * Markdown as HTML, sanitised: marked passes raw HTML through, so DOMPurify keeps only inert
 * markup. Pictures are dropped too: a file's Markdown must not make the browser request URLs
 * (ours with the session's cookies, or someone else's to learn who reads it).
 */
export const renderMarkdown = (text: string) =>
  purifier.sanitize(marked.parse(text, { async: false, gfm: true }), {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['img', 'picture', 'source', 'video', 'audio', 'style', 'form', 'input', 'button'],
    FORBID_ATTR: ['style', 'srcset'],
  });

const MarkdownView = ({ text }: { text: string }) => {
  const html = useMemo(() => renderMarkdown(text), [text]);
  return (
    <div
      className="markdown-preview"
      tabIndex={0}
      role="document"
      // Sanitised above; the source is never rendered by the server.
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
};

export default MarkdownView;
