import type { Config } from '../platform/config/config';
import type { RequestContext } from '../platform/graphql/context';
import type { EventBus } from '../platform/pubsub/event-bus';
import { TokenService } from '../platform/auth/tokens';
import { ApiKeyService } from './api-key/api-key.service';
import { AuthService } from './auth/auth.service';
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
  tokens: TokenService;
  tenants: TenantService;
  roles: RoleService;
  users: UserService;
  teams: TeamService;
  sessions: SessionService;
  auth: AuthService;
  apiKeys: ApiKeyService;
  notifications: NotificationService;
}

export type AppContext = RequestContext<Services>;

export function createServices(config: Config, bus: EventBus): Services {
  const tokens = new TokenService(config.JWT_SECRET, config.ACCESS_TOKEN_TTL_SECONDS);
  const tenants = new TenantService();
  const roles = new RoleService();
  const sessions = new SessionService(config.REFRESH_TOKEN_TTL_DAYS, bus);
  const notifications = new NotificationService(bus);
  const users = new UserService(tenants, roles, sessions, notifications);
  const teams = new TeamService();
  const apiKeys = new ApiKeyService(roles, bus);
  const auth = new AuthService(config, tokens, sessions, users, roles, apiKeys);
  return { config, bus, tokens, tenants, roles, users, teams, sessions, auth, apiKeys, notifications };
}
