import { servableEvidence } from './nomination-links';

describe('servableEvidence: links of nominations stored before SafeUrl', () => {
  it('serves https links and holds back every link a browser could run or that hides its host', () => {
    const stored = [
      { name: 'แผนดิจิทัล', url: 'https://example.go.th/plan.pdf' },
      { name: 'click', url: 'javascript:alert(document.cookie)' },
      { name: 'image', url: 'data:text/html;base64,PHNjcmlwdD4=' },
      { name: 'plain', url: 'http://example.go.th/old' },
      { name: 'hidden host', url: 'https://dga.or.th@evil.example/' },
      { name: 'no url' },
    ];
    expect(servableEvidence(stored)).toEqual({
      links: [{ name: 'แผนดิจิทัล', url: 'https://example.go.th/plan.pdf' }],
      withheld: 5,
    });
  });

  it('takes a nomination stored without evidence as no links', () => {
    expect(servableEvidence(undefined)).toEqual({ links: [], withheld: 0 });
  });
});
