import { sanitizeArticleHtml, textOf } from './rich-text';

describe('article rich text', () => {
  it('removes scripts, event handlers, javascript: links, iframes and url() styles', () => {
    const html = sanitizeArticleHtml(
      '<p onclick="x()">Hi<script>alert(1)</script></p><img src="x" onerror="alert(1)">' +
        '<a href="javascript:alert(1)">bad</a><iframe src="https://evil.example"></iframe>' +
        '<span style="background-image: url(https://evil.example/a.png); color: red">c</span>',
    );
    expect(html).not.toMatch(/script|onclick|onerror|javascript|iframe|url\(/i);
    expect(html).toContain('<p>Hi</p>');
    expect(html).toContain('<span style="color:red">c</span>');
  });

  it('keeps formatting, tables, safe links (forced to a new tab) and images from http(s) or /files/', () => {
    const html = sanitizeArticleHtml(
      '<h2>T</h2><table><tr><td colspan="2"><b>x</b></td></tr></table>' +
        '<a href="https://example.com" target="_self">ok</a>' +
        '<img src="https://cdn.example.com/a.png" alt="a"><img src="/files/abc?sig=1"><img src="data:image/png;base64,AAA">',
    );
    expect(html).toContain('<h2>T</h2>');
    expect(html).toContain('<td colspan="2"><b>x</b></td>');
    expect(html).toContain('<a href="https://example.com" target="_blank" rel="noopener noreferrer">ok</a>');
    expect(html).toContain('<img src="https://cdn.example.com/a.png" alt="a" />');
    expect(html).toContain('<img src="/files/abc?sig=1" />');
    expect(html).not.toContain('data:');
  });

  it('gives the text for search, with blocks apart and entities decoded', () => {
    expect(textOf('<p>退货政策</p><p>Fish &amp; chips&nbsp;<b>now</b></p><ul><li>a</li><li>b</li></ul>')).toBe(
      '退货政策\nFish & chips now\na\nb',
    );
  });
});
