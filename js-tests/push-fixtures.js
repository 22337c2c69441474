// Push fixtures with nested and repeated fields, written for this project from the platform's
// documents (mini program subscribe-message events: 订阅消息 事件推送, XML and JSON shapes;
// official-account menu events with SendLocationInfo / SendPicsInfo / ScanCodeInfo; plain
// voice and location messages). Each: [name, format, plaintext body, expected].
// `expected.typed` are the typed fields, `expected.raw` the whole raw object in document order,
// `expected.camel` some lowerCamelCase copies; `known` says whether the type is typed.

const TO = 'gh_123456789abc';
const FROM = 'otFpruAK8D-E6EfStSYonYSBZ8_4';
export const FIXTURE_TIME = 1610969440;
const head = (msgType) => `<ToUserName><![CDATA[${TO}]]></ToUserName>
  <FromUserName><![CDATA[${FROM}]]></FromUserName>
  <CreateTime>${FIXTURE_TIME}</CreateTime>
  <MsgType><![CDATA[${msgType}]]></MsgType>`;
const rawHead = (msgType) => ({ ToUserName: TO, FromUserName: FROM, CreateTime: String(FIXTURE_TIME), MsgType: msgType });
const jsonHead = (msgType) => ({ ToUserName: TO, FromUserName: FROM, CreateTime: FIXTURE_TIME, MsgType: msgType });

const T1 = 'VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc';
const T2 = '9nLIlbOQZC5Y89AZteFEux3WCXRRRG5Wfzkpssu4bLI';
const BIG = '1700827132819554304'; // beyond 2^53

export const FIXTURES = [
  ['subscribe_msg_popup_event (two entries)', 'xml', `<xml>
  ${head('event')}
  <Event><![CDATA[subscribe_msg_popup_event]]></Event>
  <SubscribeMsgPopupEvent>
    <List>
      <TemplateId><![CDATA[${T1}]]></TemplateId>
      <SubscribeStatusString><![CDATA[accept]]></SubscribeStatusString>
      <PopupScene>2</PopupScene>
    </List>
    <List>
      <TemplateId><![CDATA[${T2}]]></TemplateId>
      <SubscribeStatusString><![CDATA[reject]]></SubscribeStatusString>
      <PopupScene>2</PopupScene>
    </List>
  </SubscribeMsgPopupEvent>
</xml>`, {
    known: true, event: 'subscribe_msg_popup_event',
    typed: { list: [
      { templateId: T1, subscribeStatusString: 'accept', popupScene: '2' },
      { templateId: T2, subscribeStatusString: 'reject', popupScene: '2' },
    ] },
    raw: { ...rawHead('event'), Event: 'subscribe_msg_popup_event', SubscribeMsgPopupEvent: { List: [
      { TemplateId: T1, SubscribeStatusString: 'accept', PopupScene: '2' },
      { TemplateId: T2, SubscribeStatusString: 'reject', PopupScene: '2' },
    ] } },
    camel: { subscribeMsgPopupEvent: { list: [
      { templateId: T1, subscribeStatusString: 'accept', popupScene: '2' },
      { templateId: T2, subscribeStatusString: 'reject', popupScene: '2' },
    ] } },
  }],
  ['subscribe_msg_popup_event (array)', 'json', JSON.stringify({
    ...jsonHead('event'), CreateTime: String(FIXTURE_TIME), Event: 'subscribe_msg_popup_event',
    List: [{ TemplateId: T1, SubscribeStatusString: 'accept', PopupScene: '0' }],
  }), {
    known: true, event: 'subscribe_msg_popup_event',
    typed: { list: [{ templateId: T1, subscribeStatusString: 'accept', popupScene: '0' }] },
    raw: { ...rawHead('event'), Event: 'subscribe_msg_popup_event', List: [{ TemplateId: T1, SubscribeStatusString: 'accept', PopupScene: '0' }] },
    camel: {},
  }],
  ['subscribe_msg_popup_event (one entry as an object)', 'json', JSON.stringify({
    ...jsonHead('event'), Event: 'subscribe_msg_popup_event',
    List: { PopupScene: '0', SubscribeStatusString: 'accept', TemplateId: T2 },
  }), {
    known: true, event: 'subscribe_msg_popup_event',
    typed: { list: [{ templateId: T2, subscribeStatusString: 'accept', popupScene: '0' }] },
    raw: { ...jsonHead('event'), Event: 'subscribe_msg_popup_event', List: { PopupScene: '0', SubscribeStatusString: 'accept', TemplateId: T2 } },
    camel: {},
  }],
  ['subscribe_msg_change_event (one entry)', 'xml', `<xml>
  ${head('event')}
  <Event><![CDATA[subscribe_msg_change_event]]></Event>
  <SubscribeMsgChangeEvent>
    <List>
      <TemplateId><![CDATA[${T1}]]></TemplateId>
      <SubscribeStatusString><![CDATA[reject]]></SubscribeStatusString>
    </List>
  </SubscribeMsgChangeEvent>
</xml>`, {
    known: true, event: 'subscribe_msg_change_event',
    typed: { list: [{ templateId: T1, subscribeStatusString: 'reject' }] },
    raw: { ...rawHead('event'), Event: 'subscribe_msg_change_event', SubscribeMsgChangeEvent: { List: { TemplateId: T1, SubscribeStatusString: 'reject' } } },
    camel: { subscribeMsgChangeEvent: { list: { templateId: T1, subscribeStatusString: 'reject' } } },
  }],
  ['subscribe_msg_change_event (two entries)', 'json', JSON.stringify({
    ...jsonHead('event'), Event: 'subscribe_msg_change_event',
    List: [{ SubscribeStatusString: 'reject', TemplateId: T1 }, { SubscribeStatusString: 'reject', TemplateId: T2 }],
  }), {
    known: true, event: 'subscribe_msg_change_event',
    typed: { list: [{ templateId: T1, subscribeStatusString: 'reject' }, { templateId: T2, subscribeStatusString: 'reject' }] },
    raw: { ...jsonHead('event'), Event: 'subscribe_msg_change_event', List: [{ SubscribeStatusString: 'reject', TemplateId: T1 }, { SubscribeStatusString: 'reject', TemplateId: T2 }] },
    camel: {},
  }],
  ['subscribe_msg_sent_event', 'xml', `<xml>
  ${head('event')}
  <Event><![CDATA[subscribe_msg_sent_event]]></Event>
  <SubscribeMsgSentEvent>
    <List>
      <TemplateId><![CDATA[${T1}]]></TemplateId>
      <MsgID>${BIG}</MsgID>
      <ErrorCode>0</ErrorCode>
      <ErrorStatus><![CDATA[success]]></ErrorStatus>
    </List>
  </SubscribeMsgSentEvent>
</xml>`, {
    known: true, event: 'subscribe_msg_sent_event',
    typed: { list: [{ templateId: T1, msgId: BIG, errorCode: '0', errorStatus: 'success' }] },
    raw: { ...rawHead('event'), Event: 'subscribe_msg_sent_event', SubscribeMsgSentEvent: { List: { TemplateId: T1, MsgID: BIG, ErrorCode: '0', ErrorStatus: 'success' } } },
    camel: { subscribeMsgSentEvent: { list: { templateId: T1, msgID: BIG, errorCode: '0', errorStatus: 'success' } } },
  }],
  ['subscribe_msg_sent_event (id beyond 2^53 as a JSON number)', 'json',
    `{"ToUserName":"${TO}","FromUserName":"${FROM}","CreateTime":${FIXTURE_TIME},"MsgType":"event","Event":"subscribe_msg_sent_event",` +
    `"List":{"TemplateId":"${T1}","MsgID":${BIG},"ErrorCode":20004,"ErrorStatus":"failed:user refuse to accept the msg"}}`, {
      known: true, event: 'subscribe_msg_sent_event',
      typed: { list: [{ templateId: T1, msgId: BIG, errorCode: '20004', errorStatus: 'failed:user refuse to accept the msg' }] },
      raw: { ...jsonHead('event'), Event: 'subscribe_msg_sent_event', List: { TemplateId: T1, MsgID: BIG, ErrorCode: 20004, ErrorStatus: 'failed:user refuse to accept the msg' } },
      camel: {},
    }],
  ['location_select (nested SendLocationInfo)', 'xml', `<xml>${head('event')}<Event><![CDATA[location_select]]></Event>
<EventKey><![CDATA[6]]></EventKey>
<SendLocationInfo><Location_X><![CDATA[23]]></Location_X><Location_Y><![CDATA[113]]></Location_Y>
<Scale><![CDATA[15]]></Scale><Label><![CDATA[ 广州市海珠区客村艺苑路 106号]]></Label><Poiname><![CDATA[]]></Poiname></SendLocationInfo>
</xml>`, {
    known: false, event: 'location_select', typed: {},
    raw: { ...rawHead('event'), Event: 'location_select', EventKey: '6', SendLocationInfo: { Location_X: '23', Location_Y: '113', Scale: '15', Label: ' 广州市海珠区客村艺苑路 106号', Poiname: '' } },
    camel: { eventKey: '6', sendLocationInfo: { locationX: '23', locationY: '113', scale: '15', label: ' 广州市海珠区客村艺苑路 106号', poiname: '' } },
  }],
  ['pic_sysphoto (SendPicsInfo/PicList/item repeated)', 'xml', `<xml>${head('event')}<Event><![CDATA[pic_sysphoto]]></Event>
<EventKey><![CDATA[6]]></EventKey><SendPicsInfo><Count>2</Count><PicList>
<item><PicMd5Sum><![CDATA[1b5f7c23b5bf75682a53e7b6d163e185]]></PicMd5Sum></item>
<item><PicMd5Sum><![CDATA[2b5f7c23b5bf75682a53e7b6d163e186]]></PicMd5Sum></item>
</PicList></SendPicsInfo></xml>`, {
    known: false, event: 'pic_sysphoto', typed: {},
    raw: { ...rawHead('event'), Event: 'pic_sysphoto', EventKey: '6', SendPicsInfo: { Count: '2', PicList: { item: [
      { PicMd5Sum: '1b5f7c23b5bf75682a53e7b6d163e185' }, { PicMd5Sum: '2b5f7c23b5bf75682a53e7b6d163e186' },
    ] } } },
    camel: { sendPicsInfo: { count: '2', picList: { item: [{ picMd5Sum: '1b5f7c23b5bf75682a53e7b6d163e185' }, { picMd5Sum: '2b5f7c23b5bf75682a53e7b6d163e186' }] } } },
  }],
  ['scancode_waitmsg (ScanCodeInfo, ]]> split inside)', 'xml', `<xml>${head('event')}<Event><![CDATA[scancode_waitmsg]]></Event>
<EventKey><![CDATA[6]]></EventKey><ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType>
<ScanResult><![CDATA[a]]]]><![CDATA[>b &amp; <c>]]></ScanResult></ScanCodeInfo></xml>`, {
    known: false, event: 'scancode_waitmsg', typed: {},
    raw: { ...rawHead('event'), Event: 'scancode_waitmsg', EventKey: '6', ScanCodeInfo: { ScanType: 'qrcode', ScanResult: 'a]]>b &amp; <c>' } },
    camel: { scanCodeInfo: { scanType: 'qrcode', scanResult: 'a]]>b &amp; <c>' } },
  }],
  ['repeated top-level Actions', 'xml', `<xml>${head('event')}<Event><![CDATA[express_path_update]]></Event>
<Actions><ActionTime>1</ActionTime><ActionType>100001</ActionType></Actions>
<Note>n</Note>
<Actions><ActionTime>2</ActionTime><ActionType>100002</ActionType></Actions></xml>`, {
    known: false, event: 'express_path_update', typed: {},
    raw: { ...rawHead('event'), Event: 'express_path_update', Actions: [{ ActionTime: '1', ActionType: '100001' }, { ActionTime: '2', ActionType: '100002' }], Note: 'n' },
    camel: { actions: [{ actionTime: '1', actionType: '100001' }, { actionTime: '2', actionType: '100002' }], note: 'n' },
  }],
  ['voice (unknown type)', 'xml', `<xml>${head('voice')}<MediaId><![CDATA[media_id]]></MediaId><Format><![CDATA[amr]]></Format>
<Recognition><![CDATA[腾讯微信团队]]></Recognition><MsgId>6054768590064713728</MsgId></xml>`, {
    known: false, msgId: '6054768590064713728', typed: {},
    raw: { ...rawHead('voice'), MediaId: 'media_id', Format: 'amr', Recognition: '腾讯微信团队', MsgId: '6054768590064713728' },
    camel: { mediaId: 'media_id', format: 'amr', recognition: '腾讯微信团队' },
  }],
  ['location (unknown type)', 'json',
    `{"ToUserName":"${TO}","FromUserName":"${FROM}","CreateTime":${FIXTURE_TIME},"MsgType":"location","Location_X":23.134521,"Location_Y":113.358803,"Scale":20,"Label":"位置信息","MsgId":6054768590064713729}`, {
      known: false, msgId: '6054768590064713729', typed: {},
      raw: { ...jsonHead('location'), Location_X: 23.134521, Location_Y: 113.358803, Scale: 20, Label: '位置信息', MsgId: '6054768590064713729' },
      camel: { locationX: 23.134521, locationY: 113.358803, scale: 20, label: '位置信息' },
    }],
];
