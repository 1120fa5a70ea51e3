import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';
import { Session } from '../../core/auth/session';
import type { CurrentUserFragment } from '../../graphql/generated';
import { SendKeyPreference } from '../conversations/send-key';
import { Profile } from './profile';

const en = {
  profile: { sendKeys: { ENTER: 'Enter sends', SHIFT_ENTER: 'Shift+Enter sends' } },
  common: { save: 'Save' },
};

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 0));
    TestBed.tick();
  }
}

describe(Profile.name, () => {
  it("offers the send key, loads the user's choice and saves a new one on the user", async () => {
    const user = signal({ id: 'u1', nickname: 'Amy', language: 'EN', sendKey: 'SHIFT_ENTER' } as CurrentUserFragment);
    await TestBed.configureTestingModule({
      imports: [
        Profile,
        ApolloTestingModule,
        TranslocoTestingModule.forRoot({
          langs: { en },
          translocoConfig: { defaultLang: 'en', availableLangs: ['en'] },
          preloadLangs: true,
        }),
      ],
      providers: [{ provide: Session, useValue: { user } }],
    }).compileComponents();
    const fixture = TestBed.createComponent(Profile);
    const backend = TestBed.inject(ApolloTestingController);
    const loader = TestbedHarnessEnvironment.loader(fixture);
    fixture.detectChanges();
    await settle();
    const me = {
      __typename: 'User',
      id: 'u1',
      email: 'amy@example.com',
      nickname: 'Amy',
      realName: null,
      phone: null,
      employeeNo: null,
      language: 'EN',
      greeting: null,
      avatarUrl: null,
      sendKey: 'SHIFT_ENTER',
    };
    backend.expectOne('MyProfile').flushData({ me });
    await settle();

    const select = await loader.getHarness(MatSelectHarness.with({ selector: '[data-testid=send-key]' }));
    expect(await select.getValueText()).toBe('Shift+Enter sends');
    await select.open();
    await select.clickOptions({ text: 'Enter sends' });
    await (await loader.getHarness(MatButtonHarness.with({ text: 'Save' }))).click();
    await settle();

    const save = backend.expectOne('UpdateMyProfile');
    expect(save.operation.variables['input']).toMatchObject({ nickname: 'Amy', sendKey: 'ENTER' });
    save.flushData({ updateMyProfile: { ...me, sendKey: 'ENTER' } });
    await settle();
    // The chat boxes follow at once.
    expect(TestBed.inject(SendKeyPreference).key()).toBe('ENTER');
    expect(user().sendKey).toBe('ENTER');
  });
});
