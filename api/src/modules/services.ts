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
import { LocalFileStorage } from '../platform/files/storage';
import { AttachmentService } from './attachment/attachment.service';
import { AssignmentService } from './routing/assignment.service';
import { AuthService } from './auth/auth.service';
import { ChannelService } from './channel/channel.service';
import { ColleagueService } from './colleague/colleague.service';
import { ConversationService } from './conversation/conversation.service';
import { CustomerService } from './customer/customer.service';
import { VisitorService } from './visitor/visitor.service';
import { SessionService } from './auth/session.service';
import { NotificationService } from './notification/notification.service';
import { RoleService } from './role/role.service';
import { TeamService } from './team/team.service';
import { TenantService } from './tenant/tenant.service';
import { UserService } from './user/user.service';

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
  principals: PrincipalCache;
  channels: ChannelService;
  customers: CustomerService;
  conversations: ConversationService;
  visitors: VisitorService;
  colleagues: ColleagueService;
  attachments: AttachmentService;
  assignment: AssignmentService;
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
  const tenants = new TenantService();
  const roles = new RoleService(principals);
  const sessions = new SessionService(config.REFRESH_TOKEN_TTL_DAYS, bus, principals);
  const notifications = new NotificationService(bus);
  const users = new UserService(tenants, roles, sessions, notifications);
  const teams = new TeamService(principals);
  const apiKeys = new ApiKeyService(roles, bus, principals);
  const auth = new AuthService(config, tokens, sessions, users, roles, apiKeys, principals);
  const channels = new ChannelService();
  const customers = new CustomerService();
  const attachments = new AttachmentService(config, new LocalFileStorage(config.FILES_DIR));
  const conversations = new ConversationService(bus, attachments, sql, deps.log.child({ component: 'conversations' }));
  const visitors = new VisitorService(tokens, channels, customers, conversations, tenants);
  const colleagues = new ColleagueService(bus);
  const assignment = new AssignmentService();
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
    principals,
    channels,
    customers,
    conversations,
    visitors,
    colleagues,
    attachments,
    assignment,
    close: () => principals.close(),
  };
}
