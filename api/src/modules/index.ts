import type { EntityClass } from '@mikro-orm/core';
import type { NonEmptyArray } from 'type-graphql';
import { ApiKey } from './api-key/api-key.entity';
import { ApiKeyResolver } from './api-key/api-key.resolver';
import { AuthSession, LoginFailure, LoginRecord, RefreshToken } from './auth/auth.entity';
import { Attachment } from './attachment/attachment.entity';
import { AttachmentResolver, MessageAttachmentResolver } from './attachment/attachment.resolver';
import { AuthResolver } from './auth/auth.resolver';
import { ChannelAccount, WidgetConfig } from './channel/channel.entity';
import { ChannelAccountResolver, WidgetConfigResolver } from './channel/channel.resolver';
import { DirectMessage } from './colleague/colleague.entity';
import { ColleagueResolver } from './colleague/colleague.resolver';
import { AlarmRecord, Conversation, ConversationAgent, Message } from './conversation/conversation.entity';
import { ConversationResolver, MessageResolver } from './conversation/conversation.resolver';
import { CrmFrameSettingsResolver, CrmResolver } from './crm/crm.resolver';
import { BlacklistResolver } from './customer/blacklist.resolver';
import { CustomerListResolver } from './customer/customer-list.resolver';
import { HistoryResolver, MessageSearchResolver } from './history/history.resolver';
import { BlacklistLog, Customer } from './customer/customer.entity';
import { Approval } from './approval/approval.entity';
import { ApprovalResolver } from './approval/approval.resolver';
import { Note } from './note/note.entity';
import { NoteResolver } from './note/note.resolver';
import { StatusLog, UserConnection } from './presence/presence.entity';
import { PresenceResolver } from './presence/presence.resolver';
import { AssignmentDecision, RoutingRule } from './routing/routing.entity';
import { TimePlan } from './routing/time-plan.entity';
import { AssignmentResolver } from './routing/assignment.resolver';
import { AlarmRecordResolver } from './conversation/alarm.resolver';
import { RoutingRuleResolver } from './routing/routing-rule.resolver';
import { TeamTimePlanResolver, TimePlanResolver } from './routing/time-plan.resolver';
import { Rating } from './satisfaction/rating.entity';
import { ConversationRatingResolver, SatisfactionResolver } from './satisfaction/satisfaction.resolver';
import { Transfer } from './transfer/transfer.entity';
import { ConversationTransfersResolver, TransferResolver } from './transfer/transfer.resolver';
import { VisitorResolver } from './visitor/visitor.resolver';
import { Notice, Notification } from './notification/notification.entity';
import { CustomerGroup, ProfileField } from './profile/profile.entity';
import { CustomerGroupResolver, CustomerProfileResolver, ProfileFieldResolver } from './profile/profile.resolver';
import { ConversationTag, ConversationTagging, CustomerTag, CustomerTagging } from './tag/tag.entity';
import {
  ConversationTagResolver,
  ConversationTagsFieldResolver,
  CustomerTagResolver,
  CustomerTagsFieldResolver,
} from './tag/tag.resolver';
import { Phrase, PhraseCategory } from './phrase/phrase.entity';
import { Article, ArticleAttachment, KnowledgeCategory } from './knowledge/knowledge.entity';
import { ArticleResolver, KnowledgeCategoryResolver } from './knowledge/knowledge.resolver';
import { PhraseCategoryResolver, PhraseResolver } from './phrase/phrase.resolver';
import { NoticeResolver, NotificationResolver } from './notification/notification.resolver';
import { Role } from './role/role.entity';
import { RoleResolver } from './role/role.resolver';
import { Team, TeamMember } from './team/team.entity';
import { TeamResolver } from './team/team.resolver';
import { Tenant } from './tenant/tenant.entity';
import { TenantResolver } from './tenant/tenant.resolver';
import { User } from './user/user.entity';
import { UserResolver } from './user/user.resolver';

/** Every entity the ORM maps; the migration check compares exactly these against the migrations. */
export const entities: EntityClass<object>[] = [
  Tenant,
  Role,
  User,
  Team,
  TeamMember,
  AuthSession,
  RefreshToken,
  LoginRecord,
  LoginFailure,
  ApiKey,
  Notification,
  ChannelAccount,
  WidgetConfig,
  Customer,
  Conversation,
  ConversationAgent,
  Message,
  DirectMessage,
  Attachment,
  StatusLog,
  UserConnection,
  Approval,
  TimePlan,
  RoutingRule,
  AssignmentDecision,
  Transfer,
  Rating,
  BlacklistLog,
  AlarmRecord,
  Note,
  Notice,
  ProfileField,
  CustomerGroup,
  CustomerTag,
  CustomerTagging,
  ConversationTag,
  ConversationTagging,
  PhraseCategory,
  Phrase,
  KnowledgeCategory,
  Article,
  ArticleAttachment,
];

export const resolvers: NonEmptyArray<Function> = [
  AuthResolver,
  TenantResolver,
  UserResolver,
  RoleResolver,
  TeamResolver,
  ApiKeyResolver,
  NotificationResolver,
  NoticeResolver,
  WidgetConfigResolver,
  ChannelAccountResolver,
  VisitorResolver,
  ConversationResolver,
  MessageResolver,
  ColleagueResolver,
  AttachmentResolver,
  MessageAttachmentResolver,
  ApprovalResolver,
  PresenceResolver,
  SatisfactionResolver,
  ConversationRatingResolver,
  BlacklistResolver,
  ProfileFieldResolver,
  CustomerGroupResolver,
  CustomerProfileResolver,
  CustomerTagResolver,
  CustomerTagsFieldResolver,
  ConversationTagResolver,
  ConversationTagsFieldResolver,
  CustomerListResolver,
  HistoryResolver,
  MessageSearchResolver,
  AssignmentResolver,
  AlarmRecordResolver,
  TransferResolver,
  ConversationTransfersResolver,
  TimePlanResolver,
  TeamTimePlanResolver,
  RoutingRuleResolver,
  NoteResolver,
  PhraseCategoryResolver,
  PhraseResolver,
  KnowledgeCategoryResolver,
  ArticleResolver,
  CrmResolver,
  CrmFrameSettingsResolver,
];
