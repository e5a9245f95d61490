/**
 * The volunteer registry the simulator feeds: in every subdistrict a number of emergency
 * volunteer teams, each with one specialty and a Chinese name ("什刹海街道应急志愿消防队"),
 * and their members with generated, clearly fictional Chinese names and phone numbers
 * (138-0000-xxxx) and skills (the team's specialty, some first aid, driving …). Ids are stable: `T012-03` is team 3 of subdistrict 110102012, `V012-03-05`
 * its fifth member. Pure: the same areas, sizes and random stream give the same registry.
 */
import type { TeamRecord, VolunteerRecord } from '../server/contract/ingest.ts';
import type { Skill, Specialty } from '../server/domain/vocabulary.ts';
import type { Area } from './geometry.ts';
import type { Random } from './random.ts';

export interface RegistrySizes {
  teamsPerSubdistrict: number;
  /** fixed team size; when absent each team gets 6 to 8 members */
  membersPerTeam?: number;
}

export interface RegisteredTeam {
  record: TeamRecord;
  area: Area;
  members: VolunteerRecord[];
}

const DEFAULT_TEAM_SIZE = { min: 6, max: 8 };

/** Chinese team names by specialty; 西城大妈 are the district's famous neighbourhood patrols. */
const TEAM_NAME_SUFFIX: Record<Specialty, string> = {
  patrol: '“西城大妈”群防群治巡逻队',
  fire: '应急志愿消防队',
  public_health: '公共卫生防疫志愿服务队',
  earthquake: '地震应急救援志愿队',
  rain_snow: '防汛除雪应急志愿队',
};
const ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹易常武乔贺赖龚文'];
const GIVEN_NAME_CHARACTERS = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红建国志文春梅海燕玲斌鹏宇浩凯欣悦晨琳思佳雪慧淑珍凤荣德福宝利瑞金淑云莉秋月新立振永'];

export function buildRegistry(areas: readonly Area[], random: Random, sizes: RegistrySizes): RegisteredTeam[] {
  let volunteerSerial = 0;
  return areas.flatMap((area, areaIndex) =>
    Array.from({ length: sizes.teamsPerSubdistrict }, (_, teamIndex) => {
      const specialty = teamSpecialty(areaIndex, teamIndex);
      const teamId = `T${area.adcode.slice(-3)}-${twoDigits(teamIndex + 1)}`;
      const size = sizes.membersPerTeam ?? random.int(DEFAULT_TEAM_SIZE.min, DEFAULT_TEAM_SIZE.max);
      const members = Array.from({ length: size }, (_, memberIndex) => ({
        id: `V${teamId.slice(1)}-${twoDigits(memberIndex + 1)}`,
        teamId,
        name: personName(random),
        phone: fakePhone(++volunteerSerial),
        skills: memberSkills(specialty, random),
      }));
      const name = teamName(area.name, specialty, teamIndex);
      const record: TeamRecord = { id: teamId, name, subdistrict: area.adcode, specialty };
      return { record, area, members };
    }),
  );
}

/**
 * Every subdistrict first gets a patrol, a fire and a public-health team; the fourth and fifth
 * alternate between earthquake and rain/snow so that both exist across the district.
 */
function teamSpecialty(areaIndex: number, teamIndex: number): Specialty {
  const alternating: Specialty[] = areaIndex % 2 === 0 ? ['earthquake', 'rain_snow'] : ['rain_snow', 'earthquake'];
  const order: Specialty[] = ['patrol', 'fire', 'public_health', ...alternating];
  return order[teamIndex % order.length] as Specialty;
}

function teamName(subdistrictName: string, specialty: Specialty, teamIndex: number): string {
  const squad = Math.floor(teamIndex / 5);
  const ordinal = ORDINALS[squad] ?? String(squad + 1);
  return `${subdistrictName}${TEAM_NAME_SUFFIX[specialty]}${squad > 0 ? `第${ordinal}分队` : ''}`;
}

/** A member has the team's specialty; some also bring first aid, driving, rescue … */
const EXTRA_SKILLS: ReadonlyArray<{ skill: Skill; share: number }> = [
  { skill: 'first_aid', share: 0.35 },
  { skill: 'driving', share: 0.15 },
  { skill: 'search_rescue', share: 0.1 },
  { skill: 'psychological_aid', share: 0.05 },
  { skill: 'interpreting', share: 0.05 },
];

function memberSkills(specialty: Specialty, random: Random): Skill[] {
  return [specialty, ...EXTRA_SKILLS.filter(({ share }) => random.chance(share)).map(({ skill }) => skill)];
}

function personName(random: Random): string {
  const givenLength = random.chance(0.7) ? 2 : 1;
  const given = Array.from({ length: givenLength }, () => random.pick(GIVEN_NAME_CHARACTERS)).join('');
  return random.pick(SURNAMES) + given;
}

/** 138-0000-xxxx: a reserved-looking block that makes the number obviously fictional. */
function fakePhone(serial: number): string {
  return `138-0000-${String(serial).padStart(4, '0')}`;
}

function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}
