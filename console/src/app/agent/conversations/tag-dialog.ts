import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import {
  ConversationTagTreeDocument,
  type ConversationTagTreeQuery,
  TagConversationDocument,
} from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';

type Tag = ConversationTagTreeQuery['conversationTags'][number];

/** CNV-3: the conversation's tags from the tree, with a remark; during the conversation or after. */
@Component({
  selector: 'app-tag-dialog',
  imports: [
    FormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    TranslocoDirective,
  ],
  template: `
    <ng-container *transloco="let t">
      <h2 mat-dialog-title>{{ t('tags.title') }}</h2>
      <mat-dialog-content>
        @if (loading()) {
          <mat-progress-bar mode="indeterminate" />
        }
        <mat-form-field appearance="outline" class="wide" subscriptSizing="dynamic">
          <mat-label>{{ t('tags.filter') }}</mat-label>
          <input matInput [ngModel]="filter()" (ngModelChange)="filter.set($event)" cdkFocusInitial />
        </mat-form-field>
        <ul class="tree" data-testid="tag-tree">
          @for (tag of visible(); track tag.id) {
            <li [style.padding-left.px]="(tag.depth - 1) * 20">
              <mat-checkbox [checked]="chosen().has(tag.id)" (change)="toggle(tag.id)">{{ tag.name }}</mat-checkbox>
            </li>
          } @empty {
            <li class="muted">{{ t('tags.none') }}</li>
          }
        </ul>
        <mat-form-field appearance="outline" class="wide">
          <mat-label>{{ t('tags.remark') }}</mat-label>
          <textarea matInput rows="3" maxlength="1000" [(ngModel)]="remark"></textarea>
        </mat-form-field>
        @if (error(); as message) {
          <p class="error" role="alert">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button mat-dialog-close>{{ t('common.cancel') }}</button>
        <button mat-flat-button (click)="save()" [disabled]="loading()" data-testid="save-tags">
          {{ t('common.save') }}
        </button>
      </mat-dialog-actions>
    </ng-container>
  `,
  styleUrl: './dialogs.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TagDialog {
  private readonly apollo = inject(Apollo);
  private readonly ref = inject(MatDialogRef<TagDialog>);
  private readonly data = inject<{ conversationId: string }>(MAT_DIALOG_DATA);
  protected readonly tags = signal<Tag[]>([]);
  protected readonly chosen = signal<ReadonlySet<string>>(new Set());
  protected readonly filter = signal('');
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  protected remark = '';
  protected readonly visible = computed(() => {
    const q = this.filter().trim().toLowerCase();
    return q ? this.tags().filter((t) => t.name.toLowerCase().includes(q)) : this.tags();
  });

  constructor() {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const res = await firstValueFrom(
        this.apollo.query({
          query: ConversationTagTreeDocument,
          variables: { conversationId: this.data.conversationId },
          fetchPolicy: 'network-only',
        }),
      );
      this.tags.set(res.data!.conversationTags);
      this.chosen.set(new Set(res.data!.conversation.tags.map((t) => t.id)));
      this.remark = res.data!.conversation.tagRemark ?? '';
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.loading.set(false);
    }
  }

  protected toggle(id: string): void {
    this.chosen.update((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }

  protected async save(): Promise<void> {
    this.loading.set(true);
    try {
      await firstValueFrom(
        this.apollo.mutate({
          mutation: TagConversationDocument,
          variables: {
            conversationId: this.data.conversationId,
            tagIds: [...this.chosen()],
            remark: this.remark.trim(),
          },
        }),
      );
      this.ref.close(true);
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.loading.set(false);
    }
  }
}
