import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'The CRM page for one conversation (CNV-12).' })
export class CrmFrame {
  @Field({ description: 'The configured page with the parameters: in clear, or sealed in the one parameter `p`.' })
  url!: string;

  @Field({ description: 'The parameters are sealed (AES-256-GCM with the tenant key); see docs/crm-iframe.md.' })
  encrypted!: boolean;
}
