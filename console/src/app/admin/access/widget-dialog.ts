import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { Session } from '../../core/auth/session';
import {
  type ChannelType,
  CreateWidgetConfigDocument,
  UpdateWidgetConfigDocument,
  WidgetChannelAccountsDocument,
  type WidgetChannelAccountsQuery,
  type WidgetConfigRowFragment,
  WidgetEntryTeamsDocument,
} from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';

export interface WidgetDialogData {
  /** The configuration to edit; null creates one. */
  widget: WidgetConfigRowFragment | null;
}

type Account = WidgetChannelAccountsQuery['channelAccounts']['nodes'][number];

/** The widget's side of the page, as the API spells it. */
export const POSITIONS = ['BOTTOM_RIGHT', 'BOTTOM_LEFT'] as const;
const CHANNELS: readonly ChannelType[] = ['WEB', 'APP'];

/** CHN-2: a widget configuration's name, style, functions and entry binding. */
@Component({
  selector: 'app-widget-dialog',
  imports: [
    FormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    MatSelectModule,
    MatSlideToggleModule,
    TranslocoDirective,
  ],
  templateUrl: './widget-dialog.html',
  styleUrl: './widget-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WidgetDialog {
  private readonly apollo = inject(Apollo);
  private readonly ref = inject(MatDialogRef<WidgetDialog, WidgetConfigRowFragment>);
  protected readonly data = inject<WidgetDialogData>(MAT_DIALOG_DATA);
  private readonly session = inject(Session);

  protected readonly positions = POSITIONS;
  protected readonly channelTypes = CHANNELS;
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  /** Teams to bind the entry to; null when this role may not list teams (the binding then stays as it is). */
  protected readonly teams = signal<{ id: string; name: string }[] | null>(null);
  private readonly accounts = signal<Account[]>([]);

  protected name = this.data.widget?.name ?? '';
  protected readonly channel = signal<ChannelType>(this.data.widget?.channel ?? 'WEB');
  protected readonly color = signal(this.data.widget?.style.color ?? '#3f51b5');
  protected title = this.data.widget?.style.title ?? '';
  protected position = this.data.widget?.style.position ?? 'BOTTOM_RIGHT';
  protected noteWhenOffline = this.data.widget?.functions.noteWhenOffline ?? true;
  protected attachments = this.data.widget?.functions.attachments ?? true;
  protected entryTeamId: string | null = this.data.widget?.entryTeam?.id ?? null;
  protected channelAccountId: string | null = this.data.widget?.channelAccount?.id ?? null;

  protected readonly channelAccounts = computed(() => this.accounts().filter((a) => a.channel === this.channel()));
  /** The colour picker needs a valid #rrggbb; the text field may hold anything (the API judges it). */
  protected readonly pickerColor = computed(() => (/^#[0-9a-f]{6}$/i.test(this.color()) ? this.color() : '#000000'));

  constructor() {
    void this.loadChoices();
  }

  private async loadChoices(): Promise<void> {
    try {
      const res = await firstValueFrom(this.apollo.query({ query: WidgetChannelAccountsDocument }));
      this.accounts.set(res.data?.channelAccounts.nodes ?? []);
    } catch {
      // Without the list, the account binding is left as it is.
    }
    if (!this.session.has('ADMIN_TEAMS') && !this.session.has('ADMIN_USERS')) return;
    try {
      const res = await firstValueFrom(this.apollo.query({ query: WidgetEntryTeamsDocument }));
      this.teams.set(res.data?.teams.nodes ?? []);
    } catch {
      // As above: the team binding is left as it is.
    }
  }

  protected setChannel(channel: ChannelType): void {
    this.channel.set(channel);
    this.channelAccountId = null;
  }

  protected async save(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    const common = {
      name: this.name,
      style: { color: this.color().trim(), title: this.title, position: this.position },
      functions: { noteWhenOffline: this.noteWhenOffline, attachments: this.attachments },
      ...(this.teams() ? { entryTeamId: this.entryTeamId } : {}),
      ...(this.accounts().length ? { channelAccountId: this.channelAccountId } : {}),
    };
    try {
      const widget = this.data.widget;
      if (widget) {
        const res = await firstValueFrom(
          this.apollo.mutate({ mutation: UpdateWidgetConfigDocument, variables: { id: widget.id, input: common } }),
        );
        this.ref.close(res.data!.updateWidgetConfig);
      } else {
        const res = await firstValueFrom(
          this.apollo.mutate({
            mutation: CreateWidgetConfigDocument,
            variables: { input: { ...common, channel: this.channel() } },
          }),
        );
        this.ref.close(res.data!.createWidgetConfig);
      }
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.busy.set(false);
    }
  }
}
