import { gzipSync } from 'node:zlib';
import { widgetLoader } from './widget-loader';

describe(widgetLoader.name, () => {
  const style = { color: '#123456', title: 'Chat </script><script>alert(1)</script>', position: 'BOTTOM_LEFT' };

  it('is small: at most 5 KB compressed', () => {
    const js = widgetLoader({ origin: 'https://parley.example.com', key: 'k1', style });
    expect(gzipSync(js).length).toBeLessThanOrEqual(5 * 1024);
  });

  it('embeds the configuration as data, never as markup or code', () => {
    const js = widgetLoader({ origin: 'https://parley.example.com', key: 'a b&c', style });
    expect(js).not.toContain('</script>');
    expect(js).toContain('"left":true');
    expect(js).toContain('key=a%20b%26c&embedded=1');
  });

  it('refuses a colour that is not #rrggbb', () => {
    const js = widgetLoader({ origin: 'https://x', key: 'k', style: { ...style, color: 'red;background:url(x)' } });
    expect(js).toContain('"color":"#3f51b5"');
  });
});
