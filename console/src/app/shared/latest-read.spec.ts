import { LatestRead } from './latest-read';

describe('LatestRead', () => {
  it('keeps the newest read when an older answer arrives last', async () => {
    const read = new LatestRead<string[]>([]);
    let answerOld!: (v: string[]) => void;
    const older = read.run(() => new Promise((resolve) => (answerOld = resolve)));
    const newer = read.run(async () => ['new']);
    await newer;
    answerOld(['old']);
    await older;
    expect(read.value()).toEqual(['new']);
    expect(read.loading()).toBe(false);
  });

  it('shows the error of a failed read and clears it with the next good one', async () => {
    const read = new LatestRead<number>(0);
    await read.run(() => Promise.reject(new Error('offline')));
    expect([read.value(), read.error(), read.loading()]).toEqual([0, 'offline', false]);
    await read.run(async () => 7);
    expect([read.value(), read.error()]).toEqual([7, null]);
  });
});
