import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { TranslocoDirective, TranslocoService } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { TokenStore } from '../../core/auth/token-store';
import {
  CreateMyPhraseDocument,
  DeleteMyPhrasesDocument,
  ExportMyPhrasesDocument,
  ImportMyPhrasesDocument,
  type ImportMyPhrasesMutation,
  MyPhrasesDocument,
  type MyPhrasesQuery,
  MyPhraseTemplateDocument,
  ProposePublicPhraseDocument,
  UpdateMyPhraseDocument,
} from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';
import { uploadFile } from '../../shared/upload';

type Phrase = MyPhrasesQuery['phrases']['nodes'][number];

/** CNT-2, CNT-3 (Agent Mode): my own phrases; CSV template, import and export; propose for the public set. */
@Component({
  selector: 'app-phrases',
  imports: [
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatMenuModule,
    MatProgressBarModule,
    MatTooltipModule,
    TranslocoDirective,
  ],
  templateUrl: './phrases.html',
  styleUrl: './phrases.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Phrases {
  private readonly apollo = inject(Apollo);
  private readonly snack = inject(MatSnackBar);
  private readonly transloco = inject(TranslocoService);
  private readonly tokens = inject(TokenStore);

  protected readonly phrases = signal<Phrase[]>([]);
  protected readonly total = signal(0);
  protected readonly busy = signal(false);
  protected readonly editing = signal<string | null>(null);
  protected readonly report = signal<ImportMyPhrasesMutation['importPhrases'] | null>(null);
  protected draft = '';
  protected editText = '';
  protected search = '';

  constructor() {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.busy.set(true);
    try {
      const res = await firstValueFrom(
        this.apollo.query({
          query: MyPhrasesDocument,
          variables: { search: this.search.trim() || null, first: 100 },
          fetchPolicy: 'network-only',
        }),
      );
      this.phrases.set(res.data!.phrases.nodes);
      this.total.set(res.data!.phrases.totalCount);
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy.set(false);
    }
  }

  protected async add(): Promise<void> {
    const content = this.draft.trim();
    if (!content) return;
    await this.run(async () => {
      await firstValueFrom(this.apollo.mutate({ mutation: CreateMyPhraseDocument, variables: { content } }));
      this.draft = '';
      await this.load();
    });
  }

  protected edit(p: Phrase): void {
    this.editing.set(p.id);
    this.editText = p.content;
  }

  protected async save(p: Phrase): Promise<void> {
    await this.run(async () => {
      await firstValueFrom(
        this.apollo.mutate({
          mutation: UpdateMyPhraseDocument,
          variables: { id: p.id, content: this.editText.trim() },
        }),
      );
      this.editing.set(null);
      await this.load();
    });
  }

  protected async remove(p: Phrase): Promise<void> {
    await this.run(async () => {
      await firstValueFrom(this.apollo.mutate({ mutation: DeleteMyPhrasesDocument, variables: { ids: [p.id] } }));
      await this.load();
    });
  }

  protected async propose(p: Phrase): Promise<void> {
    await this.run(async () => {
      await firstValueFrom(
        this.apollo.mutate({ mutation: ProposePublicPhraseDocument, variables: { phraseId: p.id } }),
      );
      this.snack.open(this.transloco.translate('phrases.proposed'), undefined, { duration: 3000 });
    });
  }

  protected async download(kind: 'export' | 'template'): Promise<void> {
    await this.run(async () => {
      const url =
        kind === 'export'
          ? (await firstValueFrom(this.apollo.mutate({ mutation: ExportMyPhrasesDocument }))).data!.exportPhrases.url
          : (await firstValueFrom(this.apollo.mutate({ mutation: MyPhraseTemplateDocument }))).data!
              .phraseImportTemplate.url;
      location.assign(url);
    });
  }

  protected async upload(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    await this.run(async () => {
      const fileId = await uploadFile(file, this.tokens.tokens()?.accessToken ?? null);
      const result = await firstValueFrom(
        this.apollo.mutate({ mutation: ImportMyPhrasesDocument, variables: { fileId } }),
      );
      this.report.set(result.data!.importPhrases);
      await this.load();
    });
  }

  private async run(work: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    try {
      await work();
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy.set(false);
    }
  }

  private fail(e: unknown): void {
    this.snack.open(errorMessage(e), 'OK');
  }
}
