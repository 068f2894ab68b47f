import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsArray, IsInt, IsString, Length, ValidateNested, validateSync } from 'class-validator';
import { fieldProblems, fieldsInvalid } from './validation';

class Item {
  @IsString() name!: string;
}

class Body {
  @IsString() @Length(1, 5) title!: string;
  @IsInt() count!: number;
  @IsArray() @ValidateNested({ each: true }) @Type(() => Item) items!: Item[];
}

describe('field problems', () => {
  it('names every invalid field at once, nested ones by their path, each with the code of its rule', () => {
    const errors = validateSync(plainToInstance(Body, { title: 'far too long', count: 'x', items: [{ name: 'a' }, { name: 7 }] }));
    expect(fieldProblems(errors)).toEqual([
      { field: 'title', code: 'isLength', message: 'title must be shorter than or equal to 5 characters' },
      { field: 'count', code: 'isInt', message: 'count must be an integer number' },
      { field: 'items[1].name', code: 'isString', message: 'items.1.name must be a string' },
    ]);
  });

  it('answers 400 with the first field named and all of them listed', () => {
    const error = fieldsInvalid(validateSync(plainToInstance(Body, { title: '', count: 1, items: [] })));
    expect(error.code).toBe('bad-request');
    expect(error.details).toEqual({ field: 'title', fields: [{ field: 'title', code: 'isLength', message: expect.any(String) }] });
    expect(error.message).toBe('title must be longer than or equal to 1 characters');
  });
});
