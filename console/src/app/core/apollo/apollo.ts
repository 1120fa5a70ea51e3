import { inject, Injector } from '@angular/core';
import { ApolloLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { provideApollo } from 'apollo-angular';
import { HttpLink } from 'apollo-angular/http';
import { Kind, OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { defer, from, switchMap } from 'rxjs';
import { Session } from '../auth/session';
import { TokenStore } from '../auth/token-store';
import { ConnectionState } from './connection-state';

const ENDPOINT = '/graphql';

/**
 * Queries and mutations over HTTP, subscriptions over one graphql-ws socket. Both carry the
 * access token; an expiring token is refreshed before the request, and a request refused as
 * UNAUTHENTICATED is retried once after a refresh.
 */
export function provideGraphql() {
  return provideApollo(() => {
    const http = inject(HttpLink);
    const tokens = inject(TokenStore);
    const injector = inject(Injector);
    const connection = inject(ConnectionState);
    // Session depends on Apollo; reach it lazily to break the cycle.
    const session = () => injector.get(Session);

    const withToken = new ApolloLink((operation, forward) => {
      const skipAuth = operation.getContext()['skipAuth'] === true;
      const send = () => {
        const token = skipAuth ? null : tokens.tokens()?.accessToken;
        operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
          headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        }));
        return forward(operation);
      };
      if (skipAuth || !tokens.expiresSoon()) return send();
      return from(session().refresh()).pipe(switchMap(() => send()));
    });

    const retryOnExpiry = new ApolloLink((operation, forward) =>
      forward(operation).pipe(
        switchMap((result) => {
          const expired =
            operation.getContext()['skipAuth'] !== true &&
            result.errors?.some((e) => e.extensions?.['code'] === 'UNAUTHENTICATED');
          if (!expired) return [result];
          return defer(() => from(session().refresh())).pipe(
            switchMap((ok) => {
              if (!ok) throw new CombinedGraphQLErrors(result);
              return forward(operation);
            }),
          );
        }),
      ),
    );

    const ws = new GraphQLWsLink(
      createClient({
        url: () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${ENDPOINT}`,
        connectionParams: async () => {
          if (tokens.expiresSoon()) await session().refresh();
          const token = tokens.tokens()?.accessToken;
          return token ? { authorization: `Bearer ${token}` } : {};
        },
        lazy: true,
        on: { connected: () => connection.connected(), closed: () => connection.closed() },
        // Reconnect for as long as the page is open; subscriptions resume on their own.
        retryAttempts: Infinity,
        shouldRetry: () => true,
        retryWait: (retries) => new Promise((r) => setTimeout(r, Math.min(1000 * 2 ** retries, 15_000))),
      }),
    );

    const isSubscription = ({ query }: ApolloLink.Operation) => {
      const def = getMainDefinition(query);
      return def.kind === Kind.OPERATION_DEFINITION && def.operation === OperationTypeNode.SUBSCRIPTION;
    };

    return {
      link: ApolloLink.split(
        isSubscription,
        ws,
        ApolloLink.from([retryOnExpiry, withToken, http.create({ uri: ENDPOINT })]),
      ),
      cache: new InMemoryCache(),
      defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
    };
  });
}
