import { UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Empty, List, Result, Row, Select, Skeleton, Space, Table, Tag, Typography, Upload } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError } from '../api';
import type { Finding } from '../findings';
import { describeFinding } from '../findings';
import { formatDateTime } from '../format';
import { forgetLookups } from '../lookups';
import type { Me } from '../session';
import { may } from '../session';

const Diagram = lazy(() => import('../components/Diagram'));

interface Definition {
  key: string;
  version: number;
  name: string | null;
  deployedAt: string;
}

interface Version {
  key: string;
  version: number;
  name: string | null;
  deployedAt: string;
}

interface VersionDetail extends Version {
  xml: string;
  warnings: Finding[];
}

interface Deployed {
  processes: Array<{ key: string; version: number; name: string | null; created?: boolean }>;
  warnings: Finding[];
}

/** A refused or warned upload: the file as sent, and what the check found in it. */
interface Checked {
  fileName: string;
  xml: string;
  findings: Finding[];
  refused: boolean;
}

function FindingList({ findings }: { findings: Finding[] }) {
  return (
    <List
      size="small"
      dataSource={findings}
      renderItem={(finding) => (
        <List.Item>
          <Space align="start">
            <Tag color={finding.severity === 'error' ? 'red' : 'gold'}>{finding.severity === 'error' ? '错误' : '提示'}</Tag>
            <span>
              {describeFinding(finding)}
              {finding.elementId && <Typography.Text type="secondary">（元素 {finding.elementId}{finding.line ? `，第 ${finding.line} 行` : ''}）</Typography.Text>}
              {!finding.elementId && finding.line && <Typography.Text type="secondary">（第 {finding.line} 行）</Typography.Text>}
            </span>
          </Space>
        </List.Item>
      )}
    />
  );
}

const diagramFallback = <Skeleton.Node active style={{ width: '100%', height: 420 }} />;

/** 流程定义: the deployed processes, the versions and diagram of each, and the upload of a BPMN file with its findings listed and marked on the diagram. */
export function DefinitionsPage({ me }: { me: Me }) {
  const { message } = App.useApp();
  const [definitions, setDefinitions] = useState<Definition[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [versions, setVersions] = useState<Version[]>([]);
  const [version, setVersion] = useState<number | null>(null);
  const [detail, setDetail] = useState<VersionDetail | null>(null);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [uploading, setUploading] = useState(false);
  /** Counts deployments made here, so the versions of the process on show are read again. */
  const [deployments, setDeployments] = useState(0);

  const load = useCallback(async () => {
    try {
      const list = await api<Definition[]>('GET', '/definitions');
      setDefinitions(list);
      setFailed(false);
      setSelected((current) => current ?? list[0]?.key ?? null);
    } catch {
      setFailed(true);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (!selected) return undefined;
    let live = true;
    // Another process: its versions first, never the version number of the one before.
    setVersion(null);
    setDetail(null);
    void api<Version[]>('GET', `/definitions/${encodeURIComponent(selected)}/versions`).then(
      (list) => {
        if (!live) return;
        setVersions(list);
        setVersion(list.length > 0 ? Math.max(...list.map((item) => item.version)) : null);
      },
      () => live && setVersions([]),
    );
    return () => {
      live = false;
    };
  }, [selected, deployments]);

  useEffect(() => {
    if (!selected || version === null) return undefined;
    let live = true;
    void api<VersionDetail>('GET', `/definitions/${encodeURIComponent(selected)}/versions/${version}`).then(
      (answer) => live && setDetail(answer),
      () => live && setDetail(null),
    );
    return () => {
      live = false;
    };
  }, [selected, version]);

  const upload = async (file: File): Promise<void> => {
    setUploading(true);
    const xml = await file.text();
    try {
      const deployed = await api<Deployed>('POST', '/definitions', xml, 'application/xml');
      const names = deployed.processes.map((process) => `${process.name ?? process.key} 第 ${process.version} 版`).join('、');
      message.success(`已部署：${names}`);
      setChecked(deployed.warnings.length > 0 ? { fileName: file.name, xml, findings: deployed.warnings, refused: false } : null);
      forgetLookups();
      await load();
      setSelected(deployed.processes[0]?.key ?? null);
      setDeployments((count) => count + 1);
    } catch (error) {
      if (error instanceof ApiError && Array.isArray(error.details.findings)) {
        setChecked({ fileName: file.name, xml, findings: error.details.findings as Finding[], refused: true });
        message.error('文件未通过检查，未部署');
      } else if (error instanceof ApiError && error.status === 413) {
        message.error('文件过大');
      } else {
        message.error('上传失败，请稍后再试');
      }
    } finally {
      setUploading(false);
    }
  };

  const marks = useMemo(
    () => ({
      findings: (checked?.findings ?? []).filter((finding) => finding.elementId).map((finding) => ({ elementId: finding.elementId!, message: describeFinding(finding), severity: finding.severity })),
    }),
    [checked],
  );
  const versionMarks = useMemo(
    () => ({ findings: (detail?.warnings ?? []).filter((finding) => finding.elementId).map((finding) => ({ elementId: finding.elementId!, message: describeFinding(finding), severity: finding.severity })) }),
    [detail],
  );

  if (failed && definitions === null) return <Result status="error" title="流程定义加载失败" extra={<Button onClick={() => void load()}>重试</Button>} />;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {checked && (
        <Card
          title={
            <Space>
              <span>{checked.refused ? '未通过检查' : '已部署，但有提示'}</span>
              <Typography.Text type="secondary">{checked.fileName}</Typography.Text>
            </Space>
          }
          extra={<Button onClick={() => setChecked(null)}>关闭</Button>}
        >
          <Row gutter={16}>
            <Col xs={24} xl={9}>
              {checked.refused && <Alert type="error" showIcon style={{ marginBottom: 8 }} message={`发现 ${checked.findings.filter((f) => f.severity === 'error').length} 处错误，文件未部署，请在建模器中修改后重新上传`} />}
              <FindingList findings={checked.findings} />
            </Col>
            <Col xs={24} xl={15}>
              <Suspense fallback={diagramFallback}>
                <Diagram xml={checked.xml} marks={marks} height={420} />
              </Suspense>
            </Col>
          </Row>
        </Card>
      )}
      <Card
        title="流程定义"
        extra={
          may(me, 'definitions.deploy') ? (
            <Upload accept=".bpmn,.xml" showUploadList={false} beforeUpload={(file) => (void upload(file), false)}>
              <Button type="primary" icon={<UploadOutlined />} loading={uploading}>
                上传 BPMN 文件
              </Button>
            </Upload>
          ) : undefined
        }
      >
        <Row gutter={16}>
          <Col xs={24} xl={9}>
            <Table<Definition>
              size="small"
              rowKey="key"
              loading={definitions === null}
              dataSource={definitions ?? []}
              pagination={false}
              rowClassName={(item) => (item.key === selected ? 'row-selected' : 'row-clickable')}
              onRow={(item) => ({
                // A row is chosen by mouse or keyboard alike: Tab to it, Enter or Space to open its versions.
                tabIndex: 0,
                'aria-selected': item.key === selected,
                onClick: () => setSelected(item.key),
                onKeyDown: (event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault();
                    setSelected(item.key);
                  }
                },
              })}
              columns={[
                { title: '流程名称', dataIndex: 'name', render: (name: string | null, item) => name ?? item.key },
                { title: '最新版本', dataIndex: 'version', width: 90, render: (value: number) => `第 ${value} 版` },
                { title: '部署时间', dataIndex: 'deployedAt', render: (value: string) => formatDateTime(value) },
              ]}
              locale={{ emptyText: <Empty description="尚未部署流程" /> }}
            />
          </Col>
          <Col xs={24} xl={15}>
            {selected && (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Space wrap>
                  <Typography.Text strong>{definitions?.find((item) => item.key === selected)?.name ?? selected}</Typography.Text>
                  <Select
                    aria-label="版本"
                    style={{ width: 260 }}
                    value={version ?? undefined}
                    onChange={setVersion}
                    options={versions.map((item) => ({ value: item.version, label: `第 ${item.version} 版（${formatDateTime(item.deployedAt)}）` }))}
                  />
                </Space>
                {detail ? (
                  <Suspense fallback={diagramFallback}>
                    <Diagram xml={detail.xml} marks={versionMarks} height={420} />
                  </Suspense>
                ) : (
                  diagramFallback
                )}
                {detail && detail.warnings.length > 0 && <FindingList findings={detail.warnings} />}
              </Space>
            )}
          </Col>
        </Row>
      </Card>
    </Space>
  );
}
