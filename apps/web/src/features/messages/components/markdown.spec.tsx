import { render } from '@testing-library/react';
import { Markdown, safeHref } from './markdown';

const ANN = '665f1c2b1e8a474d7e9a650a';
const BEN = '665f1c2b1e8a474d7e9a650b';

function html(content: string, props: Partial<Parameters<typeof Markdown>[0]> = {}): HTMLElement {
  const { container } = render(<Markdown content={content} {...props} />);
  return container.firstElementChild as HTMLElement;
}

describe('Markdown', () => {
  it('renders the chat subset: bold, italic, strikethrough, code, code blocks, lists, quotes', () => {
    const root = html(
      [
        '**bold** *italic* _also_ ~~gone~~ `x < y`',
        '',
        '```',
        'const a = "<b>";',
        '```',
        '',
        '- one',
        '- two',
        '',
        '3. three',
        '4. four',
        '',
        '> quoted',
      ].join('\n'),
    );
    expect(root.querySelector('strong')).toHaveTextContent('bold');
    expect([...root.querySelectorAll('em')].map((node) => node.textContent)).toEqual([
      'italic',
      'also',
    ]);
    expect(root.querySelector('s')).toHaveTextContent('gone');
    expect(root.querySelector('p > code')).toHaveTextContent('x < y');
    expect(root.querySelector('pre > code')?.textContent).toBe('const a = "<b>";');
    expect([...root.querySelectorAll('ul > li')].map((node) => node.textContent)).toEqual([
      'one',
      'two',
    ]);
    expect(root.querySelector('ol')?.getAttribute('start')).toBe('3');
    expect(root.querySelector('blockquote')).toHaveTextContent('quoted');
    // Nothing came through as markup: the only <b> is the code block's text.
    expect(root.querySelector('b')).toBeNull();
  });

  it('keeps line breaks and leaves headings, images and tables as text', () => {
    const root = html('line one\nline two\n\n# not a heading\n![img](https://x.test/a.png)');
    expect(root.querySelectorAll('br')).toHaveLength(2);
    expect(root.querySelector('h1')).toBeNull();
    expect(root.querySelector('img')).toBeNull();
    expect(root).toHaveTextContent('# not a heading');
  });

  it('links http(s) and mailto only, opening safely in a new tab', () => {
    const root = html(
      '[site](https://example.com/a?b=1) <https://auto.example> bare https://bare.example/x ' +
        '[mail](mailto:ann@example.com) [bad](javascript:alert(1)) [data](data:text/html,hi) ' +
        '[rel](/rooms/x) <javascript:alert(2)>',
    );
    const links = [...root.querySelectorAll('a')];
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      'https://example.com/a?b=1',
      'https://auto.example/',
      'https://bare.example/x',
      'mailto:ann@example.com',
    ]);
    for (const link of links) {
      expect(link.getAttribute('target')).toBe('_blank');
      expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    }
    expect(root).toHaveTextContent('[bad](javascript:alert(1))');
    expect(root).toHaveTextContent('[rel](/rooms/x)');
  });

  it('shows raw HTML and entities as text, never as elements', () => {
    const root = html(
      '<script>alert(1)</script> <img src=x onerror=alert(1)> <svg onload=alert(1)> &lt;b&gt; &#60;i&#62;',
    );
    expect(root.querySelector('script, img, svg, b, i')).toBeNull();
    expect(root).toHaveTextContent(
      '<script>alert(1)</script> <img src=x onerror=alert(1)> <svg onload=alert(1)> <b> <i>',
    );
  });

  it('highlights resolved mentions inside Markdown text, but not in code', () => {
    const root = html('**@ben** and @nobody, `@ben` @room', {
      mentions: [{ userId: BEN, username: 'ben' }],
      mentionsRoom: true,
      myId: ANN,
    });
    const highlighted = [...root.querySelectorAll('.mention')].map((node) => node.textContent);
    expect(highlighted).toEqual(['@ben', '@room']);
    expect(root.querySelector('strong > .mention')).toHaveTextContent('@ben');
    expect(root.querySelector('.mention--me')).toHaveTextContent('@room');
  });
});

describe('safeHref', () => {
  it('accepts absolute http(s) and mailto URLs only', () => {
    expect(safeHref('https://example.com')).toBe('https://example.com/');
    expect(safeHref(' mailto:a@b.c ')).toBe('mailto:a@b.c');
    for (const href of ['javascript:alert(1)', 'JaVaScRiPt:x', 'data:text/html,x', '/relative']) {
      expect(safeHref(href)).toBeNull();
    }
    expect(safeHref('java\tscript:alert(1)')).toBeNull();
    expect(safeHref(null)).toBeNull();
  });
});
