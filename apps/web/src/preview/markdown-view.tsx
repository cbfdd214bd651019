import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { useMemo } from 'react';

const purifier = DOMPurify();
// Links leave the app in a new tab and carry nothing of it along.
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// HTML written in the file is shown as text, never parsed as markup.
const markdown = new Marked({ gfm: true, renderer: { html: ({ text }) => escapeHtml(text) } });

/**
 * Markdown as HTML, sanitised: raw HTML in the file is escaped, and DOMPurify then keeps only
 * inert markup of what Markdown itself made (no javascript: links). Pictures are dropped too:
 * a file's Markdown must not make the browser request URLs (ours with the session's cookies,
 * or someone else's to learn who reads it).
 */
export const renderMarkdown = (text: string) =>
  purifier.sanitize(markdown.parse(text, { async: false }), {
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
