import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { provideRouter, Router } from '@angular/router';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { Session } from '../../core/auth/session';
import { SignIn } from './sign-in';

describe('SignIn', () => {
  const signIn = jest.fn<Promise<void>, [string, string]>();

  async function render() {
    await TestBed.configureTestingModule({
      imports: [SignIn, TranslocoTestingModule.forRoot({ langs: { en: {} }, translocoConfig: { defaultLang: 'en' } })],
      providers: [provideRouter([]), { provide: Session, useValue: { signIn } }],
    }).compileComponents();
    const fixture = TestBed.createComponent(SignIn);
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    return { fixture, loader, navigate };
  }

  beforeEach(() => signIn.mockReset());

  it('signs in with the trimmed email and goes to the console', async () => {
    signIn.mockResolvedValue();
    const { loader, navigate } = await render();
    await (
      await loader.getHarness(MatInputHarness.with({ selector: '[data-testid=email]' }))
    ).setValue(' ana@example.com ');
    await (
      await loader.getHarness(MatInputHarness.with({ selector: '[data-testid=password]' }))
    ).setValue('secret-pass');
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=sign-in]' }))).click();
    expect(signIn).toHaveBeenCalledWith('ana@example.com', 'secret-pass');
    expect(navigate).toHaveBeenCalledWith('/');
  });

  it("does not call the API with an invalid form, and shows the API's refusal", async () => {
    const { fixture, loader } = await render();
    const button = await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid=sign-in]' }));
    await button.click();
    expect(signIn).not.toHaveBeenCalled();

    signIn.mockRejectedValue(new CombinedGraphQLErrors({ errors: [{ message: 'Wrong email or password' }] }));
    await (
      await loader.getHarness(MatInputHarness.with({ selector: '[data-testid=email]' }))
    ).setValue('ana@example.com');
    await (await loader.getHarness(MatInputHarness.with({ selector: '[data-testid=password]' }))).setValue('nope');
    await button.click();
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).querySelector('[role=alert]')?.textContent).toContain(
      'Wrong email or password',
    );
  });
});
