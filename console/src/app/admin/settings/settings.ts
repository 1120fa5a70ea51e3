import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatExpansionModule } from '@angular/material/expansion';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { firstValueFrom } from 'rxjs';
import {
  type TenantSettingsFieldsFragment,
  TenantSettingsFormDocument,
  UpdateTenantSettingsDocument,
} from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';
import {
  allValues,
  type FieldDef,
  fieldPath,
  type SectionDef,
  SECTIONS,
  sectionInput,
  sectionValues,
  UNITS,
  type Values,
} from './settings-model';

interface SectionError {
  /** The setting the API named, if it is one this page shows. */
  field: string | null;
  message: string;
}

/** What happens to the CRM key on save: left as it is, replaced by the one typed, or removed. */
export type KeyChange = 'keep' | 'new' | 'remove';

const KNOWN_FIELDS = new Set([...SECTIONS.flatMap((s) => s.fields.map((f) => f.path)), 'crmFrame.key']);

/** SET-1 and the CRM panel of SET-3 (Admin Mode): the tenant's function settings, saved per section. */
@Component({
  selector: 'app-settings',
  imports: [
    FormsModule,
    MatButtonModule,
    MatExpansionModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatProgressSpinnerModule,
    MatSelectModule,
    MatSlideToggleModule,
    TranslocoDirective,
  ],
  templateUrl: './settings.html',
  styleUrl: './settings.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Settings {
  private readonly apollo = inject(Apollo);

  protected readonly sections = SECTIONS;
  protected readonly units = UNITS;
  protected readonly loading = signal(true);
  protected readonly loadError = signal<string | null>(null);
  protected readonly values = signal<Values>({});
  protected readonly saving = signal<string | null>(null);
  protected readonly errors = signal<Record<string, SectionError | undefined>>({});
  protected readonly saved = signal<Record<string, boolean>>({});
  protected readonly keySet = signal(false);
  protected readonly keyChange = signal<KeyChange>('keep');
  protected readonly newKey = signal('');

  constructor() {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.loading.set(true);
    this.loadError.set(null);
    try {
      const res = await firstValueFrom(
        this.apollo.query({ query: TenantSettingsFormDocument, fetchPolicy: 'no-cache' }),
      );
      const settings = res.data!.tenant.settings;
      this.values.set(allValues(settings));
      this.keySet.set(settings.crmFrame.keySet);
    } catch (e) {
      this.loadError.set(errorMessage(e));
    } finally {
      this.loading.set(false);
    }
  }

  protected value(path: string): unknown {
    return this.values()[path];
  }

  protected set(section: SectionDef, path: string, value: unknown): void {
    this.values.update((v) => ({ ...v, [path]: value }));
    this.saved.update((s) => ({ ...s, [section.id]: false }));
  }

  protected testId(f: FieldDef | string): string {
    return `setting-${(typeof f === 'string' ? f : f.path).replaceAll('.', '-')}`;
  }

  protected labelKey(path: string): string {
    return `settings.label.${path}`;
  }

  protected known(path: string | null): path is string {
    return !!path && KNOWN_FIELDS.has(path);
  }

  protected startNewKey(): void {
    this.keyChange.set('new');
    this.newKey.set('');
  }

  protected keepKey(): void {
    this.keyChange.set('keep');
    this.newKey.set('');
  }

  /** Saves one section: only its fields are sent, so other sections' unsaved edits stay as they are. */
  protected async save(section: SectionDef): Promise<void> {
    if (this.saving()) return;
    const input = sectionInput(section, this.values());
    if (section.id === 'crmFrame') {
      // The key is write-only: sent only when the admin typed a new one or asked to remove it.
      const key = this.newKey();
      if (this.keyChange() === 'remove') input.crmFrame!.key = null;
      else if (key) input.crmFrame!.key = key;
    }
    this.saving.set(section.id);
    this.errors.update((e) => ({ ...e, [section.id]: undefined }));
    this.saved.update((s) => ({ ...s, [section.id]: false }));
    try {
      const res = await firstValueFrom(
        this.apollo.mutate({ mutation: UpdateTenantSettingsDocument, variables: { input }, fetchPolicy: 'no-cache' }),
      );
      const settings: TenantSettingsFieldsFragment = res.data!.updateTenantSettings;
      this.values.update((v) => ({ ...v, ...sectionValues(section, settings) }));
      if (section.id === 'crmFrame') {
        this.keySet.set(settings.crmFrame.keySet);
        this.keepKey();
      }
      this.saved.update((s) => ({ ...s, [section.id]: true }));
    } catch (e) {
      const field = CombinedGraphQLErrors.is(e) ? fieldPath(e.errors[0]?.extensions?.['field']) : null;
      let message = errorMessage(e);
      // The page names the field in the admin's language; the API's technical path is left out.
      if (this.known(field)) message = message.replace(`Invalid ${field}: `, '');
      this.errors.update((all) => ({ ...all, [section.id]: { field, message } }));
    } finally {
      this.saving.set(null);
    }
  }
}
