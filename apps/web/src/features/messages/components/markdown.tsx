import { useMemo, type ReactNode } from 'react';
import MarkdownIt, { type Token } from 'markdown-it';
import { highlightMentions, type MentionContext } from './mention-text';

/** The only link targets a message may carry: no `javascript:`, `data:`, relative or `file:`. */
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** `href` when it is an absolute http(s) or mailto URL, `null` otherwise. */
export function safeHref(href: string | null | undefined): string | null {
  if (!href) return null;
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return null;
  }
  return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
}

/**
 * markdown-it with only the chat subset switched on ('zero' starts with paragraphs and text):
 * emphasis, strikethrough, inline code, code blocks, links (also bare URLs), lists and quotes.
 * `html: false` turns any HTML into text; headings, tables, images, rules and reference links stay
 * plain text. Its token stream is walked into React elements below: nothing is ever rendered as
 * HTML.
 */
const parser = new MarkdownIt('zero', { html: false, linkify: true, breaks: true }).enable([
  'blockquote',
  'code',
  'fence',
  'list',
  'backticks',
  'emphasis',
  'strikethrough',
  'link',
  'autolink',
  'linkify',
  'escape',
  'entity',
  'newline',
]);
// `name@example.com` stays text (it is often a username or a handle, not an address).
parser.linkify.set({ fuzzyEmail: false });
// markdown-it's own check only blocks a few schemes; a link we would not render stays text.
parser.validateLink = (url) => safeHref(url) !== null;

interface Frame {
  open: Token | null;
  children: ReactNode[];
}

function element(open: Token, key: string, children: ReactNode[]): ReactNode {
  switch (open.type) {
    case 'paragraph_open':
      // A tight list's items hold "hidden" paragraphs: their text goes straight into the item.
      return open.hidden ? children : <p key={key}>{children}</p>;
    case 'bullet_list_open':
      return <ul key={key}>{children}</ul>;
    case 'ordered_list_open': {
      const start = Number(open.attrGet('start') ?? 1);
      return (
        <ol key={key} start={Number.isSafeInteger(start) && start !== 1 ? start : undefined}>
          {children}
        </ol>
      );
    }
    case 'list_item_open':
      return <li key={key}>{children}</li>;
    case 'blockquote_open':
      return <blockquote key={key}>{children}</blockquote>;
    case 'strong_open':
      return <strong key={key}>{children}</strong>;
    case 'em_open':
      return <em key={key}>{children}</em>;
    case 's_open':
      return <s key={key}>{children}</s>;
    case 'link_open': {
      const href = safeHref(String(open.attrGet('href') ?? ''));
      if (!href) return children;
      return (
        <a key={key} href={href} target="_blank" rel="noopener noreferrer">
          {children}
        </a>
      );
    }
    default:
      return children;
  }
}

function leaf(token: Token, key: string, context: MentionContext): ReactNode {
  switch (token.type) {
    case 'text':
      return highlightMentions(token.content, context, `${key}-`);
    case 'code_inline':
      return <code key={key}>{token.content}</code>;
    case 'softbreak':
    case 'hardbreak':
      return <br key={key} />;
    case 'code_block':
    case 'fence':
      return (
        <pre key={key}>
          <code>{token.content.replace(/\n$/, '')}</code>
        </pre>
      );
    case 'inline':
      return walk(token.children ?? [], key, context);
    default:
      // Nothing else is enabled; should a rule slip through, its text still shows, as text.
      return token.content;
  }
}

function walk(tokens: Token[], prefix: string, context: MentionContext): ReactNode[] {
  const stack: Frame[] = [{ open: null, children: [] }];
  tokens.forEach((token, index) => {
    const key = `${prefix}.${index}`;
    if (token.nesting === 1) {
      stack.push({ open: token, children: [] });
      return;
    }
    const top = stack[stack.length - 1];
    if (token.nesting === -1 && top.open) {
      stack.pop();
      stack[stack.length - 1].children.push(element(top.open, key, top.children));
      return;
    }
    top.children.push(leaf(token, key, context));
  });
  // Unbalanced streams do not happen with markdown-it; were one to, its content is kept.
  while (stack.length > 1) {
    const top = stack.pop()!;
    stack[stack.length - 1].children.push(...top.children);
  }
  return stack[0].children;
}

/** The React nodes of a message's Markdown (exported for tests). */
export function renderMarkdown(content: string, context: MentionContext = {}): ReactNode[] {
  return walk(parser.parse(content, {}), 'md', context);
}

/**
 * A message's text as safe Markdown, with its mentions highlighted. Parsed once per content
 * (and mention list), not on every render of the list.
 */
export function Markdown({
  content,
  mentions,
  mentionsRoom,
  myId,
  className,
}: MentionContext & { content: string; className?: string }) {
  const nodes = useMemo(
    () => renderMarkdown(content, { mentions, mentionsRoom, myId }),
    [content, mentions, mentionsRoom, myId],
  );
  return <div className={className ? `markdown ${className}` : 'markdown'}>{nodes}</div>;
}
