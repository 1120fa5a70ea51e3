import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MatExpansionPanelHarness } from '@angular/material/expansion/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { MatSlideToggleHarness } from '@angular/material/slide-toggle/testing';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';
import type { TenantSettingsFieldsFragment } from '../../graphql/generated';
import { Settings } from './settings';
import { splitSeconds, toSeconds } from './settings-model';

const SETTINGS: TenantSettingsFieldsFragment = {
  welcomeMessageEnabled: true,
  welcomeMessage: 'Hello!',
  dispatcherNickname: 'Dispatcher',
  defaultAddress: 'Customer',
  transfer: { requireConfirmation: false, confirmationTimeoutSeconds: 240, skipGreetings: false },
  capacityEditor: 'ADMIN',
  agentsMayJoinFromQueue: true,
  agentsMayViewQueuedMessages: true,
  familiarity: { enabled: false, mode: 'LAST' },
  assignOnlyInBusinessHours: false,
  agentsPageInAgentMode: false,
  sortByAgentLatestMessage: false,
  showLastMessageTime: false,
  cleanChatUi: false,
  blacklistNeedsApproval: false,
  statusChangeNeedsApproval: false,
  forceConversationTag: false,
  noReply: {
    enabled: false,
    afterSeconds: 180,
    highlight: true,
    remindCustomer: false,
    reminderText: 'Sorry to keep you waiting.',
    alarm: true,
    alarmLevel: 'WARNING',
  },
  customerNoReply: {
    enabled: false,
    reminderAfterSeconds: 300,
    reminderText: 'Are you still there?',
    closeAfterSeconds: 300,
    closeText: 'Closed.',
  },
  inactivity: { enabled: true, afterSeconds: 86400, closeText: 'Closed after a while.', remark: null },
  queueReminder: { enabled: false, delaySeconds: 60, repeat: 3, intervalSeconds: 120, text: 'Busy.', offerNote: true },
  satisfaction: {
    autoInviteChannels: [],
    skipSingleMessage: true,
    skipAutoClosed: true,
    timeLimitSeconds: 86400,
    kept: 'LAST',
  },
  crmFrame: {
    enabled: true,
    url: 'https://crm.example.com/panel',
    params: ['CUSTOMER_ID', 'CONVERSATION_ID'],
    encrypt: true,
    keySet: true,
  },
};

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 0));
    TestBed.tick();
  }
}

describe(Settings.name, () => {
  async function render() {
    await TestBed.configureTestingModule({
      imports: [
        Settings,
        ApolloTestingModule,
        TranslocoTestingModule.forRoot({
          langs: { en: { settings: { label: { crmFrame: { url: 'CRM page address' } } } } },
          translocoConfig: { defaultLang: 'en', availableLangs: ['en'] },
          preloadLangs: true,
        }),
      ],
      providers: [{ provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } }],
    }).compileComponents();
    const fixture = TestBed.createComponent(Settings);
    const backend = TestBed.inject(ApolloTestingController);
    const loader = TestbedHarnessEnvironment.loader(fixture);
    fixture.detectChanges();
    await settle();
    backend.expectOne('TenantSettingsForm').flushData({ tenant: { id: 't1', settings: SETTINGS } });
    await settle();
    const open = async (section: string) => {
      const panel = await loader.getHarness(
        MatExpansionPanelHarness.with({ selector: `[data-testid=section-${section}]` }),
      );
      await panel.expand();
      return panel;
    };
    const save = async (section: string) => {
      await (await loader.getHarness(MatButtonHarness.with({ selector: `[data-testid=save-${section}]` }))).click();
      await settle();
      return backend.expectOne('UpdateTenantSettings');
    };
    return { fixture, loader, open, save };
  }

  afterEach(() => TestBed.inject(ApolloTestingController).verify());

  it("saves only the section's own fields", async () => {
    const { fixture, loader, open, save } = await render();
    await open('console');
    const toggle = await loader.getHarness(
      MatSlideToggleHarness.with({ selector: '[data-testid=setting-showLastMessageTime]' }),
    );
    expect(await toggle.isChecked()).toBe(false);
    await toggle.toggle();
    // An edit in another section stays unsaved.
    await open('transfer');
    await (
      await loader.getHarness(MatSlideToggleHarness.with({ selector: '[data-testid=setting-transfer-skipGreetings]' }))
    ).toggle();

    const op = await save('console');
    expect(op.operation.variables['input']).toEqual({
      agentsPageInAgentMode: false,
      sortByAgentLatestMessage: false,
      showLastMessageTime: true,
      cleanChatUi: false,
      forceConversationTag: false,
    });
    op.flushData({ updateTenantSettings: { ...SETTINGS, showLastMessageTime: true } });
    await settle();
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('[data-testid=saved-console]')!.textContent).toContain('settings.saved');
    expect(el.querySelector('[data-testid=saved-transfer]')!.textContent!.trim()).toBe('');
  });

  it('shows a duration in minutes and sends it in seconds', async () => {
    const { loader, open, save } = await render();
    await open('transfer');
    const amount = await loader.getHarness(
      MatInputHarness.with({ selector: '[data-testid=setting-transfer-confirmationTimeoutSeconds]' }),
    );
    expect(await amount.getValue()).toBe('4');
    const unit = await loader.getHarness(
      MatSelectHarness.with({ selector: '[data-testid=setting-transfer-confirmationTimeoutSeconds-unit]' }),
    );
    expect(await unit.getValueText()).toBe('settings.units.minutes');
    await amount.setValue('10');
    const op = await save('transfer');
    expect(op.operation.variables['input']).toEqual({
      transfer: { requireConfirmation: false, confirmationTimeoutSeconds: 600, skipGreetings: false },
    });
    op.flushData({ updateTenantSettings: SETTINGS });
    await settle();
  });

  it('leaves the CRM key out unless a new one is typed, and removes it with null', async () => {
    const { fixture, loader, open, save } = await render();
    await open('crmFrame');
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('[data-testid=setting-crmFrame-key]')).toBeNull();

    let op = await save('crmFrame');
    const unchanged = {
      enabled: true,
      url: 'https://crm.example.com/panel',
      params: ['CUSTOMER_ID', 'CONVERSATION_ID'],
      encrypt: true,
    };
    expect(op.operation.variables['input']).toEqual({ crmFrame: unchanged });
    expect('key' in op.operation.variables['input'].crmFrame).toBe(false);
    op.flushData({ updateTenantSettings: SETTINGS });
    await settle();

    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=crm-key-new]' }))).click();
    await (
      await loader.getHarness(MatInputHarness.with({ selector: '[data-testid=setting-crmFrame-key]' }))
    ).setValue('a-new-secret-key');
    op = await save('crmFrame');
    expect(op.operation.variables['input']).toEqual({ crmFrame: { ...unchanged, key: 'a-new-secret-key' } });
    op.flushData({ updateTenantSettings: SETTINGS });
    await settle();
    // Saved: the typed key is gone from the page.
    expect(el.querySelector('[data-testid=setting-crmFrame-key]')).toBeNull();

    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=crm-key-remove]' }))).click();
    op = await save('crmFrame');
    expect(op.operation.variables['input']).toEqual({ crmFrame: { ...unchanged, key: null } });
    op.flushData({ updateTenantSettings: { ...SETTINGS, crmFrame: { ...SETTINGS.crmFrame, keySet: false } } });
    await settle();
    expect(el.querySelector('[data-testid=crm-key-state]')!.textContent).toContain('settings.key.none');
  });

  it("shows the API's error beside the section, naming the field", async () => {
    const { fixture, loader, open, save } = await render();
    await open('crmFrame');
    await (
      await loader.getHarness(MatInputHarness.with({ selector: '[data-testid=setting-crmFrame-url]' }))
    ).setValue('ftp://x');
    const op = await save('crmFrame');
    expect(op.operation.variables['input'].crmFrame.url).toBe('ftp://x');
    op.flush({
      errors: [
        {
          message: 'Invalid crmFrame.url: url must be an https:// address (http:// only for localhost)',
          extensions: { code: 'BAD_USER_INPUT', field: 'crmFrame.url' },
        },
      ],
    });
    await settle();
    const error = (fixture.nativeElement as HTMLElement).querySelector('[data-testid=error-crmFrame]')!;
    expect(error.textContent).toContain('CRM page address:');
    expect(error.textContent).toContain('url must be an https:// address');
    expect(error.textContent).not.toContain('Invalid crmFrame.url');
  });
});

describe('durations', () => {
  it('read in the largest whole unit and convert back to seconds', () => {
    expect(splitSeconds(240)).toEqual({ amount: 4, unit: 'minutes' });
    expect(splitSeconds(86400)).toEqual({ amount: 1, unit: 'days' });
    expect(splitSeconds(7200)).toEqual({ amount: 2, unit: 'hours' });
    expect(splitSeconds(90)).toEqual({ amount: 90, unit: 'seconds' });
    expect(toSeconds(1.5, 'hours')).toBe(5400);
    expect(toSeconds(null, 'minutes')).toBeNull();
  });
});
