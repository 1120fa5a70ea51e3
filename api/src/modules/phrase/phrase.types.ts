import { ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../platform/graphql/connection';
import { Phrase } from './phrase.entity';

/** Which set of phrases: the tenant's public ones (admins manage), or the caller's personal ones. */
export enum PhraseScope {
  PUBLIC = 'PUBLIC',
  PERSONAL = 'PERSONAL',
}

registerEnumType(PhraseScope, { name: 'PhraseScope' });

@ObjectType()
export class PhraseConnection extends Connection(Phrase) {}
