import { ChangeDetectionStrategy, Component, inject, input, model, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatAutocompleteModule, type MatAutocompleteSelectedEvent } from '@angular/material/autocomplete';
import { MatChipsModule } from '@angular/material/chips';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { catchError, debounceTime, distinctUntilChanged, map, type Observable, of, Subject, switchMap } from 'rxjs';
import { PickTeamsDocument, PickUsersDocument } from '../../graphql/generated';
import { errorMessage } from '../errors';

/** A chosen user or team: its id and what the chip shows. */
export interface Picked {
  id: string;
  label: string;
  hint?: string;
}

export type PickerKind = 'user' | 'team';

/**
 * Chooses users or teams by searching for them as one types (chips + autocomplete). Single by
 * default: a new choice replaces the old one. Needs ADMIN_USERS or ADMIN_TEAMS, like the lists it reads.
 */
@Component({
  selector: 'app-picker',
  imports: [
    MatAutocompleteModule,
    MatChipsModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    TranslocoDirective,
  ],
  templateUrl: './picker.html',
  styles: `
    :host {
      display: block;
      min-width: 220px;
    }
    mat-form-field {
      width: 100%;
    }
    .hint {
      margin-left: 8px;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Picker {
  private readonly apollo = inject(Apollo);

  readonly kind = input.required<PickerKind>();
  readonly label = input.required<string>();
  readonly multiple = input(false);
  /** Offer enabled users only (those a notice can reach). */
  readonly enabledOnly = input(false);
  readonly testId = input<string | null>(null);
  readonly selected = model<readonly Picked[]>([]);

  protected readonly options = signal<Picked[]>([]);
  protected readonly searched = signal(false);
  protected readonly error = signal<string | null>(null);
  private readonly terms = new Subject<string>();

  constructor() {
    this.terms
      .pipe(
        debounceTime(200),
        distinctUntilChanged(),
        switchMap((term) => this.find(term)),
        takeUntilDestroyed(),
      )
      .subscribe((list) => {
        this.options.set(list);
        this.searched.set(true);
      });
  }

  protected typed(value: string): void {
    this.terms.next(value.trim());
  }

  protected pick(event: MatAutocompleteSelectedEvent, box: HTMLInputElement): void {
    const chosen = event.option.value as Picked;
    const list = this.selected();
    if (!list.some((p) => p.id === chosen.id)) this.selected.set(this.multiple() ? [...list, chosen] : [chosen]);
    box.value = '';
  }

  protected remove(item: Picked): void {
    this.selected.set(this.selected().filter((p) => p.id !== item.id));
  }

  private find(search: string): Observable<Picked[]> {
    const found: Observable<Picked[]> =
      this.kind() === 'user'
        ? this.apollo
            .query({
              query: PickUsersDocument,
              variables: { search: search || null, enabled: this.enabledOnly() ? true : null },
              fetchPolicy: 'network-only',
            })
            .pipe(
              map((res) => (res.data?.users.nodes ?? []).map((u) => ({ id: u.id, label: u.nickname, hint: u.email }))),
            )
        : this.apollo
            .query({ query: PickTeamsDocument, variables: { search: search || null }, fetchPolicy: 'network-only' })
            .pipe(map((res) => (res.data?.teams.nodes ?? []).map((t) => ({ id: t.id, label: t.name }))));
    return found.pipe(
      map((list) => {
        this.error.set(null);
        return list;
      }),
      catchError((e: unknown) => {
        this.error.set(errorMessage(e));
        return of([]);
      }),
    );
  }
}
