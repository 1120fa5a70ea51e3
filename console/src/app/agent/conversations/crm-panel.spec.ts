import { TestBed } from '@angular/core/testing';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import type { DocumentNode } from 'graphql';
import { of } from 'rxjs';
import { CrmPanelFrameDocument, type CrmPanelFrameQueryVariables } from '../../graphql/generated';
import { CrmPanel, crmFrameTarget } from './crm-panel';

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('CrmPanel', () => {
  let urls: Record<string, string | null>;
  const query = jest.fn((options: { query: DocumentNode; variables?: CrmPanelFrameQueryVariables }) => {
    const url = options.query === CrmPanelFrameDocument ? urls[options.variables!.conversationId] : null;
    return of({ data: { crmFrame: url ? { url, encrypted: false } : null } });
  });

  async function render(conversationId: string) {
    TestBed.configureTestingModule({
      imports: [
        CrmPanel,
        TranslocoTestingModule.forRoot({ langs: { en: {} }, translocoConfig: { defaultLang: 'en' } }),
      ],
      providers: [{ provide: Apollo, useValue: { query } }],
    });
    const fixture = TestBed.createComponent(CrmPanel);
    fixture.componentRef.setInput('conversationId', conversationId);
    fixture.detectChanges();
    await settle();
    fixture.detectChanges();
    return { fixture, el: fixture.nativeElement as HTMLElement };
  }

  beforeEach(() => {
    query.mockClear();
    urls = {
      c1: 'https://crm.example.com/panel?conversationId=c1',
      c2: 'https://crm.example.com/panel?conversationId=c2',
      own: `${location.origin}/demo/crm?conversationId=own`,
      bad: 'javascript:alert(1)',
      off: null,
    };
  });

  it('frames the CRM page in a sandbox, with a link to open it in a new tab', async () => {
    const { fixture, el } = await render('c1');
    const frame = el.querySelector('iframe')!;
    expect(frame.getAttribute('src')).toBe(urls['c1']);
    expect(frame.getAttribute('sandbox')?.split(' ').sort()).toEqual(
      ['allow-forms', 'allow-popups', 'allow-same-origin', 'allow-scripts'].sort(),
    );
    expect(frame.getAttribute('referrerpolicy')).toBe('no-referrer');
    const open = el.querySelector<HTMLAnchorElement>('[data-testid="crm-open"]')!;
    expect(open.getAttribute('href')).toBe(urls['c1']);
    expect(open.getAttribute('target')).toBe('_blank');
    expect(open.getAttribute('rel')).toContain('noopener');
    expect(el.querySelector('mat-progress-bar')).not.toBeNull();
    frame.dispatchEvent(new Event('load'));
    fixture.detectChanges();
    expect(el.querySelector('mat-progress-bar')).toBeNull();
  });

  it('loads the page again for another conversation', async () => {
    const { fixture, el } = await render('c1');
    const first = el.querySelector('iframe');
    fixture.componentRef.setInput('conversationId', 'c2');
    fixture.detectChanges();
    await settle();
    fixture.detectChanges();
    expect(el.querySelector('iframe')?.getAttribute('src')).toBe(urls['c2']);
    expect(el.querySelector('iframe')).not.toBe(first);
    expect(query.mock.calls.map(([o]) => o.variables?.conversationId)).toEqual(['c1', 'c2']);
  });

  it("gives a page of the console's own origin no same-origin rights", async () => {
    const { el } = await render('own');
    expect(el.querySelector('iframe')?.getAttribute('sandbox')).not.toContain('allow-same-origin');
  });

  it('frames nothing when the panel is off or the address is not http(s)', async () => {
    for (const id of ['off', 'bad']) {
      const { el } = await render(id);
      expect(el.querySelector('iframe')).toBeNull();
      expect(el.textContent).toContain('tools.crmOff');
      TestBed.resetTestingModule();
    }
  });

  it('accepts only http(s) addresses', () => {
    expect(crmFrameTarget('https://crm.example.com/', 'http://localhost:4000')).toEqual({ sameOrigin: false });
    expect(crmFrameTarget('http://localhost:4000/demo/crm', 'http://localhost:4000')).toEqual({ sameOrigin: true });
    expect(crmFrameTarget('javascript:alert(1)', 'http://localhost:4000')).toBeNull();
    expect(crmFrameTarget('data:text/html,hi', 'http://localhost:4000')).toBeNull();
  });
});
