import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  type KeyDeclaration,
  TABLES,
  type TableDeclaration,
  type TableId,
} from '../../declarations/tables.js';

export interface TablesProps {
  readonly dataKey: IKey;
}

export interface BuiltTable {
  readonly declaration: TableDeclaration;
  readonly table: Table;
}

const attribute = (key: KeyDeclaration) => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

const pascal = (id: string): string => id.charAt(0).toUpperCase() + id.slice(1);

/**
 * Every table of declarations/tables.ts, built the same way: on-demand, point-in-time recovery,
 * encrypted with the data key, protected from deletion and retained if the stack goes.
 */
export class Tables extends Construct {
  private readonly byId = new Map<TableId, BuiltTable>();

  constructor(scope: Construct, id: string, props: TablesProps) {
    super(scope, id);
    for (const declaration of TABLES) {
      const table = new Table(this, pascal(declaration.id), {
        partitionKey: attribute(declaration.partitionKey),
        sortKey: declaration.sortKey && attribute(declaration.sortKey),
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: props.dataKey,
        timeToLiveAttribute: declaration.timeToLiveAttribute,
        stream: declaration.stream === 'NEW_IMAGE' ? StreamViewType.NEW_IMAGE : undefined,
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      for (const index of declaration.indexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.indexName,
          partitionKey: attribute(index.partitionKey),
          sortKey: index.sortKey && attribute(index.sortKey),
          projectionType: ProjectionType.ALL,
        });
      }
      this.byId.set(declaration.id, { declaration, table });
    }
  }

  get(id: TableId): BuiltTable {
    const built = this.byId.get(id);
    if (!built) throw new Error(`table ${id} is not declared in declarations/tables.ts`);
    return built;
  }

  all(): BuiltTable[] {
    return [...this.byId.values()];
  }
}
