import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../platform/config/config';
import type { Jobs } from '../platform/jobs/jobs';
import type { RequestContext } from '../platform/graphql/context';
import type { EventBus } from '../platform/pubsub/event-bus';
import { PrincipalCache } from '../platform/auth/principal-cache';
import { TokenService } from '../platform/auth/tokens';
import type { PreparedSql } from '../platform/database/prepared-sql';
import { ApiKeyService } from './api-key/api-key.service';
import { ApprovalService } from './approval/approval.service';
import { LocalFileStorage } from '../platform/files/storage';
import { AttachmentService } from './attachment/attachment.service';
import { AssignmentService } from './routing/assignment.service';
import { TransferService } from './transfer/transfer.service';
import { RoutingService } from './routing/routing.service';
import { TimePlanService } from './routing/time-plan.service';
import { AuthService } from './auth/auth.service';
import { ChannelService } from './channel/channel.service';
import { ColleagueService } from './colleague/colleague.service';
import { ConversationService } from './conversation/conversation.service';
import { ConversationTimers } from './conversation/conversation.timers';
import { CrmService } from './crm/crm.service';
import { BlacklistService } from './customer/blacklist.service';
import { CustomerService } from './customer/customer.service';
import { ProfileService } from './profile/profile.service';
import { ConversationTagService } from './tag/conversation-tag.service';
import { CustomerTagService } from './tag/customer-tag.service';
import { CustomerListService } from './customer/customer-list.service';
import { HistoryService } from './history/history.service';
import { VisitorService } from './visitor/visitor.service';
import { SessionService } from './auth/session.service';
import { NotificationService } from './notification/notification.service';
import { NoteService } from './note/note.service';
import { PresenceService } from './presence/presence.service';
import { RoleService } from './role/role.service';
import { SatisfactionService } from './satisfaction/satisfaction.service';
import { TeamService } from './team/team.service';
import { TenantService } from './tenant/tenant.service';
import { UserService } from './user/user.service';
import { PhraseService } from './phrase/phrase.service';
import { KnowledgeService } from './knowledge/knowledge.service';

/** The composition root: every domain service, constructed once per process. */
export interface Services {
  config: Config;
  bus: EventBus;
  jobs: Jobs;
  tokens: TokenService;
  tenants: TenantService;
  roles: RoleService;
  users: UserService;
  teams: TeamService;
  sessions: SessionService;
  auth: AuthService;
  apiKeys: ApiKeyService;
  notifications: NotificationService;
  approvals: ApprovalService;
  presence: PresenceService;
  principals: PrincipalCache;
  channels: ChannelService;
  customers: CustomerService;
  conversations: ConversationService;
  timers: ConversationTimers;
  notes: NoteService;
  visitors: VisitorService;
  colleagues: ColleagueService;
  attachments: AttachmentService;
  timePlans: TimePlanService;
  routing: RoutingService;
  assignment: AssignmentService;
  transfers: TransferService;
  satisfaction: SatisfactionService;
  blacklist: BlacklistService;
  phrases: PhraseService;
  knowledge: KnowledgeService;
  profiles: ProfileService;
  customerTags: CustomerTagService;
  conversationTags: ConversationTagService;
  customerList: CustomerListService;
  history: HistoryService;
  crm: CrmService;
  close(): void;
}

export type AppContext = RequestContext<Services>;

/** What the services are built on; the caller owns these and closes them after the services. */
export interface ServiceDeps {
  config: Config;
  orm: MikroORM;
  bus: EventBus;
  sql: PreparedSql;
  jobs: Jobs;
  log: Logger;
}

export function createServices(deps: ServiceDeps): Services {
  const { config, bus, sql, jobs } = deps;
  const tokens = new TokenService(config.JWT_SECRET, config.ACCESS_TOKEN_TTL_SECONDS);
  const principals = new PrincipalCache(bus, config.PRINCIPAL_CACHE_SECONDS * 1000);
  const tenants = new TenantService(bus);
  const timePlans = new TimePlanService(tenants);
  const routing = new RoutingService(tenants, sql);
  const roles = new RoleService(principals);
  const sessions = new SessionService(config.REFRESH_TOKEN_TTL_DAYS, bus, principals);
  const notifications = new NotificationService(bus);
  // Before the features that file requests (presence, blacklist): they register their decision handlers.
  const approvals = new ApprovalService(notifications, bus);
  const users = new UserService(tenants, roles, sessions, notifications);
  const teams = new TeamService(principals);
  const apiKeys = new ApiKeyService(roles, bus, principals);
  const auth = new AuthService(config, tokens, sessions, users, roles, apiKeys, principals);
  const channels = new ChannelService();
  const profiles = new ProfileService();
  const customers = new CustomerService(profiles);
  const attachments = new AttachmentService(config, new LocalFileStorage(config.FILES_DIR));
  const conversations = new ConversationService(
    bus,
    attachments,
    sql,
    routing,
    tenants,
    deps.log.child({ component: 'conversations' }),
  );
  const timers = new ConversationTimers(
    deps.orm,
    conversations,
    tenants,
    jobs,
    deps.log.child({ component: 'timers' }),
  );
  const customerTags = new CustomerTagService(customers, attachments);
  const conversationTags = new ConversationTagService(conversations, tenants, attachments);
  const notes = new NoteService(conversations, bus, notifications, attachments);
  notifications.listenForAutoClose(deps.orm, conversations);
  const visitors = new VisitorService(tokens, channels, customers, conversations);
  const colleagues = new ColleagueService(bus);
  const assignment = new AssignmentService(
    deps.orm,
    conversations,
    tenants,
    routing,
    users,
    sql,
    jobs,
    deps.log.child({ component: 'assignment' }),
  );
  const transfers = new TransferService(
    deps.orm,
    bus,
    conversations,
    assignment,
    routing,
    tenants,
    jobs,
    deps.log.child({ component: 'transfers' }),
  );
  const satisfaction = new SatisfactionService(deps.orm, conversations, tenants);
  const customerList = new CustomerListService();
  const history = new HistoryService(conversations, customerList);
  const crm = new CrmService(conversations, tenants);
  const blacklist = new BlacklistService(
    deps.orm,
    conversations,
    tenants,
    approvals,
    deps.log.child({ component: 'blacklist' }),
  );
  const phrases = new PhraseService(
    attachments,
    conversations,
    tenants,
    approvals,
    deps.log.child({ component: 'phrases' }),
  );
  const knowledge = new KnowledgeService(attachments);
  const presence = new PresenceService(
    deps.orm.em,
    bus,
    jobs,
    config,
    tenants,
    notifications,
    approvals,
    assignment,
    auth,
    deps.log.child({ component: 'presence' }),
  );
  return {
    config,
    bus,
    jobs,
    tokens,
    tenants,
    roles,
    users,
    teams,
    sessions,
    auth,
    apiKeys,
    notifications,
    approvals,
    presence,
    principals,
    channels,
    customers,
    conversations,
    timers,
    notes,
    visitors,
    colleagues,
    attachments,
    timePlans,
    routing,
    assignment,
    transfers,
    satisfaction,
    blacklist,
    phrases,
    knowledge,
    profiles,
    customerTags,
    conversationTags,
    customerList,
    history,
    crm,
    close: () => {
      principals.close();
      presence.close();
      tenants.close();
    },
  };
}
