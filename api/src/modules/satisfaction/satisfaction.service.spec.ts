import { ChannelType } from '../channel/channel.entity';
import { CloseReason } from '../conversation/conversation.entity';
import { DEFAULT_SETTINGS, type SatisfactionSettings } from '../tenant/tenant-settings';
import { invitesOnClose, SatisfactionService } from './satisfaction.service';

describe(SatisfactionService.name, () => {
  describe(invitesOnClose.name, () => {
    const settings: SatisfactionSettings = {
      ...DEFAULT_SETTINGS.satisfaction,
      autoInviteChannels: [ChannelType.WEB],
      skipSingleMessage: true,
      skipAutoClosed: true,
    };
    const closed = (reason: CloseReason, extra: { channel?: ChannelType; servedByAgent?: boolean } = {}) => ({
      channel: extra.channel ?? ChannelType.WEB,
      reason,
      servedByAgent: extra.servedByAgent ?? true,
    });

    it('invites on a close by the agent or an admin for a switched-on channel', () => {
      expect(invitesOnClose(settings, closed(CloseReason.AGENT), 2)).toBe(true);
      expect(invitesOnClose(settings, closed(CloseReason.ADMIN), 2)).toBe(true);
      expect(invitesOnClose(settings, closed(CloseReason.AGENT, { channel: ChannelType.APP }), 2)).toBe(false);
      expect(invitesOnClose({ ...settings, autoInviteChannels: [] }, closed(CloseReason.AGENT), 2)).toBe(false);
    });

    it('skips a single message only when told to', () => {
      expect(invitesOnClose(settings, closed(CloseReason.AGENT), 1)).toBe(false);
      expect(invitesOnClose(settings, closed(CloseReason.AGENT), 0)).toBe(false);
      expect(invitesOnClose({ ...settings, skipSingleMessage: false }, closed(CloseReason.AGENT), 1)).toBe(true);
    });

    it('skips closes by the system only when told to', () => {
      for (const reason of [CloseReason.CUSTOMER_NO_REPLY, CloseReason.INACTIVE]) {
        expect(invitesOnClose(settings, closed(reason), 5)).toBe(false);
        expect(invitesOnClose({ ...settings, skipAutoClosed: false }, closed(reason), 5)).toBe(true);
      }
    });

    it('never invites after a blacklisting, a left note, or when no agent served it', () => {
      const lenient = { ...settings, skipSingleMessage: false, skipAutoClosed: false };
      expect(invitesOnClose(lenient, closed(CloseReason.BLACKLISTED), 5)).toBe(false);
      expect(invitesOnClose(lenient, closed(CloseReason.NOTE_LEFT), 5)).toBe(false);
      expect(invitesOnClose(lenient, closed(CloseReason.ADMIN, { servedByAgent: false }), 5)).toBe(false);
    });
  });
});
