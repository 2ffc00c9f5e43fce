/**
 * Markup and script payloads a chat must show as text. Used as message contents, display names
 * and (in the files spec) file names; every one must render inert: no dialog, no element built
 * from it. Display names are at most 64 characters, so `asDisplayNames` keeps those that fit.
 */
export const XSS_PAYLOADS: readonly string[] = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><img src=x onerror=alert(document.domain)>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">click me</a>',
  '[x](javascript:alert(1))',
  '[y](JaVaScRiPt:alert(1))',
  '[z](  javascript:alert(1)  )',
  '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<javascript:alert(1)>',
  '![img](x" onerror="alert(1))',
  '[link](https://example.com" onmouseover="alert(1))',
  '&lt;img src=x onerror=alert(1)&gt;',
  '&#60;script&#62;alert(1)&#60;/script&#62;',
  '<details open ontoggle=alert(1)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<body onload=alert(1)>',
  '<style>@import "javascript:alert(1)";</style>',
  'javascript:alert(1)',
  '`<img src=x onerror=alert(1)>`',
  '```\n<script>alert(1)</script>\n```',
  '> <img src=x onerror=alert(1)>',
  '**<img src=x onerror=alert(1)>**',
  // Unicode direction overrides and invisible characters: shown, not reordering the page.
  'abc\u202Egnp.exe\u202C def',
  '\u2066isolated\u2069 \u200Bzero\u200Cwidth\u200D',
  '{{constructor.constructor("alert(1)")()}}',
  '${alert(1)}',
];

/** The payloads that are valid display names (1–64 characters, no line breaks). */
export function asDisplayNames(payloads: readonly string[] = XSS_PAYLOADS): string[] {
  return payloads.filter((payload) => payload.length <= 64 && !payload.includes('\n'));
}

/** Elements no payload may create anywhere in the page. */
export const INJECTED_ELEMENTS =
  'img[onerror], #root script, a[href^="javascript:" i], iframe, svg[onload], ' +
  'details[ontoggle], [onmouseover], math';
