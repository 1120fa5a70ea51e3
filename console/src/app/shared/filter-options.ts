import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import {
  ChannelAccountOptionsDocument,
  type ChannelAccountOptionsQuery,
  ConversationTagOptionsDocument,
  type ConversationTagOptionsQuery,
  CustomerTagOptionsDocument,
  type CustomerTagOptionsQuery,
} from '../graphql/generated';

export type ConversationTagOption = ConversationTagOptionsQuery['conversationTags'][number];
export type CustomerTagOption = CustomerTagOptionsQuery['customerTags']['nodes'][number];
export type ChannelAccountOption = ChannelAccountOptionsQuery['channelAccounts']['nodes'][number];

/** The choices of list filters (tags, channel accounts), read afresh when a page opens. */
@Injectable({ providedIn: 'root' })
export class FilterOptions {
  private readonly apollo = inject(Apollo);

  async conversationTags(): Promise<ConversationTagOption[]> {
    const res = await firstValueFrom(
      this.apollo.query({ query: ConversationTagOptionsDocument, fetchPolicy: 'network-only' }),
    );
    return res.data?.conversationTags ?? [];
  }

  async customerTags(): Promise<CustomerTagOption[]> {
    const res = await firstValueFrom(
      this.apollo.query({ query: CustomerTagOptionsDocument, fetchPolicy: 'network-only' }),
    );
    return res.data?.customerTags.nodes ?? [];
  }

  async channelAccounts(): Promise<ChannelAccountOption[]> {
    const res = await firstValueFrom(
      this.apollo.query({ query: ChannelAccountOptionsDocument, fetchPolicy: 'network-only' }),
    );
    return res.data?.channelAccounts.nodes ?? [];
  }
}
