import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslocoDirective, TranslocoService } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { Session } from '../../core/auth/session';
import { rememberLanguage } from '../../core/i18n/i18n';
import {
  ChangeMyPasswordDocument,
  type Language,
  type SendKey,
  MyProfileDocument,
  UpdateMyProfileDocument,
} from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';
import { SendKeyPreference } from '../conversations/send-key';

const LANG_IDS: Record<Language, 'en' | 'zh-CN'> = { EN: 'en', ZH_CN: 'zh-CN' };

/** TEN-6: the user's own details, language, send key (MSG-8), greeting and password. */
@Component({
  selector: 'app-profile',
  imports: [
    ReactiveFormsModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatButtonModule,
    MatProgressBarModule,
    TranslocoDirective,
  ],
  templateUrl: './profile.html',
  styleUrl: './profile.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Profile {
  private readonly apollo = inject(Apollo);
  private readonly snack = inject(MatSnackBar);
  private readonly session = inject(Session);
  private readonly transloco = inject(TranslocoService);
  private readonly sendKey = inject(SendKeyPreference);
  private readonly fb = inject(FormBuilder).nonNullable;

  protected readonly busy = signal(true);
  protected readonly email = signal('');
  protected readonly form = this.fb.group({
    nickname: ['', [Validators.required, Validators.maxLength(60)]],
    realName: ['', Validators.maxLength(60)],
    phone: ['', Validators.maxLength(40)],
    employeeNo: ['', Validators.maxLength(40)],
    language: ['EN' as Language],
    sendKey: ['ENTER' as SendKey],
    greeting: ['', Validators.maxLength(500)],
  });
  protected readonly password = this.fb.group({
    currentPassword: ['', Validators.required],
    newPassword: ['', [Validators.required, Validators.minLength(8)]],
  });

  constructor() {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const res = await firstValueFrom(this.apollo.query({ query: MyProfileDocument, fetchPolicy: 'network-only' }));
      const me = res.data!.me;
      this.email.set(me.email);
      this.form.reset({
        nickname: me.nickname,
        realName: me.realName ?? '',
        phone: me.phone ?? '',
        employeeNo: me.employeeNo ?? '',
        language: me.language,
        sendKey: me.sendKey,
        greeting: me.greeting ?? '',
      });
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    } finally {
      this.busy.set(false);
    }
  }

  protected async save(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    try {
      const v = this.form.getRawValue();
      const res = await firstValueFrom(
        this.apollo.mutate({
          mutation: UpdateMyProfileDocument,
          variables: {
            input: {
              nickname: v.nickname.trim(),
              realName: v.realName.trim() || null,
              phone: v.phone.trim() || null,
              employeeNo: v.employeeNo.trim() || null,
              language: v.language,
              sendKey: v.sendKey,
              greeting: v.greeting.trim() || null,
            },
          },
        }),
      );
      const saved = res.data!.updateMyProfile;
      this.session.user.update((u) => (u ? { ...u, nickname: saved.nickname, language: saved.language } : u));
      this.sendKey.apply(saved.sendKey);
      const lang = LANG_IDS[saved.language];
      this.transloco.setActiveLang(lang);
      rememberLanguage(lang);
      this.snack.open(this.transloco.translate('profile.saved'), undefined, { duration: 3000 });
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    } finally {
      this.busy.set(false);
    }
  }

  protected async changePassword(): Promise<void> {
    if (this.password.invalid) {
      this.password.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    try {
      await firstValueFrom(
        this.apollo.mutate({ mutation: ChangeMyPasswordDocument, variables: { input: this.password.getRawValue() } }),
      );
      this.password.reset();
      this.snack.open(this.transloco.translate('profile.passwordChanged'), undefined, { duration: 3000 });
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    } finally {
      this.busy.set(false);
    }
  }
}
