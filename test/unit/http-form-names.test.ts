import { parameterName, parameterNames, parseForm, splitPair } from '../../src/http/form';

describe('parameterNames', () => {
  test('lists the decoded names of a query in order, repeats kept', () => {
    expect(parameterNames('b=1&a=2&b=3')).toEqual(['b', 'a', 'b']);
  });

  test('decodes percent escapes and "+" in a name', () => {
    expect(parameterNames('oauth%5Fconsumer%5Fkey=k&first+name=x')).toEqual(['oauth_consumer_key', 'first name']);
  });

  test('skips empty elements and takes a bare name as a name', () => {
    expect(parameterNames('&a&&b=&')).toEqual(['a', 'b']);
  });

  test('is empty for an empty string', () => {
    expect(parameterNames('')).toEqual([]);
  });

  test('keeps a malformed name as sent instead of refusing, where parseForm refuses', () => {
    expect(parameterNames('bad%zz+name=1&ok=2')).toEqual(['bad%zz name', 'ok']);
    expect(() => parseForm('bad%zz+name=1')).toThrow();
  });

  test('never looks at values, malformed or not', () => {
    expect(parameterNames('a=%zz&b=%E0%A4%A')).toEqual(['a', 'b']);
  });
});

describe('parameterName', () => {
  test('splits at the first "=" only', () => {
    expect(parameterName('a%3Db=c=d')).toBe('a=b');
    expect(splitPair('a=b=c')).toEqual(['a', 'b=c']);
  });
});
