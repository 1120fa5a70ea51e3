import { IsBoolean, Length, MaxLength } from 'class-validator';
import { OptionalNotNull } from '../../platform/graphql/validators';
import { Field, InputType, ObjectType } from 'type-graphql';

/**
 * The tenant's function settings (SET-1), one typed object with defaults, effective immediately.
 * Further switches join as their features arrive.
 */
@ObjectType()
export class TenantSettings {
  @Field({ description: 'Send the welcome message when a conversation starts (CNV-10).' })
  welcomeMessageEnabled!: boolean;

  @Field({ description: 'At most 500 characters.' })
  welcomeMessage!: string;

  @Field({ description: "The dispatcher's nickname shown on system messages." })
  dispatcherNickname!: string;
}

export const DEFAULT_SETTINGS: TenantSettings = {
  welcomeMessageEnabled: true,
  welcomeMessage: 'Hello! Thanks for contacting us. An agent will be with you shortly.',
  dispatcherNickname: 'Dispatcher',
};

export function withDefaults(stored: Partial<TenantSettings> | null | undefined): TenantSettings {
  return { ...DEFAULT_SETTINGS, ...(stored ?? {}) };
}

@InputType()
export class TenantSettingsInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  welcomeMessageEnabled?: boolean;

  @Field({ nullable: true })
  @OptionalNotNull()
  @MaxLength(500)
  welcomeMessage?: string;

  @Field({ nullable: true })
  @OptionalNotNull()
  @Length(1, 40)
  dispatcherNickname?: string;
}
