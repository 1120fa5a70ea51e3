import { ObjectType } from 'type-graphql';
import { Connection } from '../../platform/graphql/connection';
import { Article } from './knowledge.entity';

@ObjectType()
export class ArticleConnection extends Connection(Article) {}
