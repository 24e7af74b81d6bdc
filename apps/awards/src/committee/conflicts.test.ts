import type { DecisionRow } from '../awards.repository';
import { quorumShortfall } from './conflicts';

const vote = (by: string): DecisionRow => ({ id: by, type: 'vote', by, at: new Date(), details: { scores: [] } });
const spec = (quorum: number) => ({
  committee: [{ userId: 'chair' }, { userId: 'm1' }, { userId: 'm2' }],
  quorum,
});

describe('quorumShortfall: the votes that carry a committee decision', () => {
  it('never lets the chair’s vote carry it alone, whatever the quorum says', () => {
    expect(quorumShortfall(spec(1), [])).toEqual({ voted: 0, quorum: 2 });
    expect(quorumShortfall(spec(1), [vote('chair'), vote('chair')])).toEqual({ voted: 1, quorum: 2 });
    expect(quorumShortfall(spec(1), [vote('chair'), vote('m1')])).toBeNull();
  });

  it('asks for the quorum when it is higher, counting current members once each', () => {
    expect(quorumShortfall(spec(3), [vote('chair'), vote('m1'), vote('m1')])).toEqual({ voted: 2, quorum: 3 });
    expect(quorumShortfall(spec(3), [vote('chair'), vote('m1'), vote('former')])).toEqual({ voted: 2, quorum: 3 });
    expect(quorumShortfall(spec(3), [vote('chair'), vote('m1'), vote('m2')])).toBeNull();
  });

  it('counts votes only, not declared conflicts', () => {
    const conflict: DecisionRow = { ...vote('m1'), type: 'conflict' };
    expect(quorumShortfall(spec(2), [vote('chair'), conflict])).toEqual({ voted: 1, quorum: 2 });
  });
});
