/**
 * The 15 subdistricts (街道) of Xicheng by 9-digit adcode, with their Chinese names (as in
 * the OSM data) and English (pinyin) names for the English screen. Pure data: server, client,
 * simulator and tests import it.
 */
export interface SubdistrictName {
  adcode: string;
  zh: string;
  en: string;
}

export const SUBDISTRICTS: readonly SubdistrictName[] = [
  { adcode: '110102001', zh: '西长安街街道', en: "Xichang'anjie" },
  { adcode: '110102003', zh: '新街口街道', en: 'Xinjiekou' },
  { adcode: '110102007', zh: '月坛街道', en: 'Yuetan' },
  { adcode: '110102009', zh: '展览路街道', en: 'Zhanlanlu' },
  { adcode: '110102010', zh: '德胜街道', en: 'Desheng' },
  { adcode: '110102011', zh: '金融街街道', en: 'Jinrongjie' },
  { adcode: '110102012', zh: '什刹海街道', en: 'Shichahai' },
  { adcode: '110102013', zh: '大栅栏街道', en: 'Dashilan' },
  { adcode: '110102014', zh: '天桥街道', en: 'Tianqiao' },
  { adcode: '110102015', zh: '椿树街道', en: 'Chunshu' },
  { adcode: '110102016', zh: '陶然亭街道', en: 'Taoranting' },
  { adcode: '110102017', zh: '广安门内街道', en: "Guang'anmennei" },
  { adcode: '110102018', zh: '牛街街道', en: 'Niujie' },
  { adcode: '110102019', zh: '白纸坊街道', en: 'Baizhifang' },
  { adcode: '110102020', zh: '广安门外街道', en: "Guang'anmenwai" },
];

export function subdistrictName(adcode: string | null, lang: 'zh' | 'en'): string {
  const found = SUBDISTRICTS.find((s) => s.adcode === adcode);
  if (!found) return lang === 'zh' ? '区外' : 'Outside';
  return found[lang];
}
